import { generateKeyPairSync } from 'node:crypto';
import { EventWebhook } from '@sendgrid/eventwebhook';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { createVerifier, DEFAULT_EVENT_LIMITS } from '../src/index.ts';
import { sendgridSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const PUBLIC_KEY = SAMPLE_KEYS.sendgrid.configured;
const PRIVATE_KEY = SAMPLE_KEYS.sendgrid.privateKey;
const events = fixture('sendgrid-events.json');

function signed(body: Buffer, at = NOW, key = PRIVATE_KEY) {
  const timestamp = String(unixSeconds(at));
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Twilio-Email-Event-Webhook-Signature': sendgridSignature(key, timestamp, body),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
    url: '/webhooks/sendgrid',
  };
}

const verify = (request: ReturnType<typeof signed>, keys = [PUBLIC_KEY]) =>
  verifier('sendgrid', keys).verify(incoming(request));

const spki = (key: { export(o: { format: 'der'; type: 'spki' }): Buffer }) =>
  key.export({ format: 'der', type: 'spki' }).toString('base64');

describe('sendgrid', () => {
  it('signs as SendGrid does: @sendgrid/eventwebhook and ours accept it, and refuse it tampered', () => {
    const sdk = new EventWebhook();
    const key = sdk.convertPublicKeyToECDSA(PUBLIC_KEY);
    const request = signed(events);
    const signature = request.headers['X-Twilio-Email-Event-Webhook-Signature'];
    const timestamp = request.headers['X-Twilio-Email-Event-Webhook-Timestamp'];
    expect(sdk.verifySignature(key, events, signature, timestamp)).toBe(true);
    expect(verify(request).kind).toBe('batch');

    const tampered = Buffer.from(events.toString('utf8').replace('processed', 'delivered'));
    expect(sdk.verifySignature(key, tampered, signature, timestamp)).toBe(false);
    expect(reasonOf(verify({ ...request, body: tampered }))).toBe('no_matching_secret');
  });

  it('accepts what the SDK accepts under a key of its own', () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const request = signed(events, NOW, privateKey);
    const sdk = new EventWebhook();
    expect(
      sdk.verifySignature(
        sdk.convertPublicKeyToECDSA(spki(publicKey)),
        events,
        request.headers['X-Twilio-Email-Event-Webhook-Signature'],
        request.headers['X-Twilio-Email-Event-Webhook-Timestamp'],
      ),
    ).toBe(true);
    expect(verify(request, [spki(publicKey)]).kind).toBe('batch');
    expect(reasonOf(verify(request))).toBe('no_matching_secret');
  });

  it('splits a batch into its events, named by sg_event_id, whatever the timestamp', () => {
    const first = verify(signed(events));
    const retried = verify(signed(events, new Date(NOW.getTime() + 60_000)));
    const sent = JSON.parse(events.toString('utf8')) as { sg_event_id: string; event: string }[];
    if (first.kind !== 'batch') throw new Error(`not a batch: ${reasonOf(first)}`);
    expect(first.events.map(({ eventId, eventType }) => ({ eventId, eventType }))).toEqual(
      sent.map((e) => ({ eventId: e.sg_event_id, eventType: e.event })),
    );
    expect(first.events.map((e) => JSON.parse(e.body))).toEqual(sent);
    expect(retried).toEqual(first);
  });

  it('refuses the whole batch when one event has no sg_event_id, and acks an empty one', () => {
    const sent = JSON.parse(events.toString('utf8')) as Record<string, unknown>[];
    const { sg_event_id: _id, ...unnamed } = sent[0] ?? {};
    const body = Buffer.from(JSON.stringify([...sent.slice(1), unnamed]));
    expect(verify(signed(body))).toMatchObject({
      kind: 'rejected',
      reason: 'malformed_body',
      detail: `event ${sent.length - 1}: event ID missing`,
    });
    expect(verify(signed(Buffer.from('[]')))).toEqual({ kind: 'batch', events: [] });
  });

  it('refuses a batch over the deployment bound, whole', () => {
    const many = Buffer.from(
      JSON.stringify(
        Array.from({ length: 3 }, (_, i) => ({ sg_event_id: `e${i}`, event: 'open' })),
      ),
    );
    const bounded = createVerifier('sendgrid', {}, [PUBLIC_KEY], {
      ...DEFAULT_EVENT_LIMITS,
      maxBatchEvents: 2,
    });
    expect(bounded.verify(incoming(signed(many)))).toMatchObject({
      kind: 'rejected',
      reason: 'too_many_events',
    });
  });

  it('refuses a body that is not an array of events, even signed', () => {
    expect(verify(signed(Buffer.from('{"event":"delivered"}')))).toMatchObject({
      kind: 'rejected',
      reason: 'malformed_body',
      detail: 'body is not a JSON array of events',
    });
  });

  it('rejects a truncated DER signature and bad base64', () => {
    const request = signed(events);
    const signature = request.headers['X-Twilio-Email-Event-Webhook-Signature'];
    const withSignature = (value: string) => ({
      ...request,
      headers: { ...request.headers, 'X-Twilio-Email-Event-Webhook-Signature': value },
    });
    const truncated = Buffer.from(signature, 'base64').subarray(0, 40).toString('base64');
    expect(reasonOf(verify(withSignature(truncated)))).toBe('no_matching_secret');
    expect(reasonOf(verify(withSignature('MEUCIQ**')))).toBe('malformed_signature');
  });

  it('refuses a verification key that is not ECDSA P-256, naming what it is', () => {
    const ed25519 = spki(generateKeyPairSync('ed25519').publicKey);
    const p384 = spki(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey);
    expect(() => verifier('sendgrid', [ed25519])).toThrow(
      /^a sendgrid verification key is a ed25519 key; an ECDSA P-256 key is needed$/,
    );
    expect(() => verifier('sendgrid', [p384])).toThrow(/an ECDSA P-256 key is needed/);
    expect(() => verifier('sendgrid', ['c2VjcmV0'])).toThrow(
      /^a sendgrid verification key is not a DER public key$/,
    );
  });
});

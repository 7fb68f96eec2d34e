import { generateKeyPairSync } from 'node:crypto';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { InteractionResponseType, InteractionType, verifyKey } from 'discord-interactions';
import { describe, expect, it } from 'vitest';
import { discordSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const PUBLIC_KEY = SAMPLE_KEYS.discord.configured;
const PRIVATE_KEY = SAMPLE_KEYS.discord.privateKey;
const command = fixture('discord-application-command.json');

function signed(body: Buffer | string, at = NOW, key = PRIVATE_KEY) {
  const timestamp = String(unixSeconds(at));
  const bytes = Buffer.from(body);
  return {
    headers: {
      'Content-Type': 'application/json',
      'X-Signature-Ed25519': discordSignature(key, timestamp, bytes),
      'X-Signature-Timestamp': timestamp,
    },
    body: bytes,
    url: '/webhooks/discord',
  };
}

const verify = (request: ReturnType<typeof signed>) =>
  verifier('discord', [PUBLIC_KEY]).verify(incoming(request));

describe('discord', () => {
  it("signs as Discord does: discord-interactions' verifyKey and ours accept it, and refuse it tampered", async () => {
    const request = signed(command);
    const { 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp } =
      request.headers;
    expect(await verifyKey(request.body, signature, timestamp, PUBLIC_KEY)).toBe(true);
    expect(verify(request)).toMatchObject({ kind: 'event', event: { eventType: '2' } });

    const tampered = Buffer.concat([request.body, Buffer.from(' ')]);
    expect(await verifyKey(tampered, signature, timestamp, PUBLIC_KEY)).toBe(false);
    expect(reasonOf(verify({ ...request, body: tampered }))).toBe('no_matching_secret');
  });

  it('accepts what discord-interactions accepts for a key of its own (a fresh Ed25519 pair)', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const hexKey = Buffer.from(publicKey.export({ format: 'jwk' }).x ?? '', 'base64url').toString(
      'hex',
    );
    const request = signed(command, NOW, privateKey);
    const { 'X-Signature-Ed25519': signature, 'X-Signature-Timestamp': timestamp } =
      request.headers;
    expect(await verifyKey(request.body, signature, timestamp, hexKey)).toBe(true);
    expect(verifier('discord', [hexKey]).verify(incoming(request)).kind).toBe('event');
    expect(reasonOf(verify(request))).toBe('no_matching_secret');
  });

  it('answers a signed PING with a PONG, never as an event', () => {
    const ping = JSON.stringify({ id: '1', application_id: '2', type: InteractionType.PING });
    expect(verify(signed(ping))).toEqual({
      kind: 'respond',
      body: { type: InteractionResponseType.PONG },
    });
    // As Discord sends it: every interaction carries a token and `version: 1`.
    const documented = JSON.stringify({
      application_id: '2',
      entitlements: [],
      id: '1',
      token: 'aW50ZXJhY3Rpb246MTpwaW5n',
      type: InteractionType.PING,
      user: { id: '3', username: 'mason' },
      version: 1,
    });
    expect(verify(signed(documented))).toEqual({
      kind: 'respond',
      body: { type: InteractionResponseType.PONG },
    });
    const { privateKey } = generateKeyPairSync('ed25519');
    expect(reasonOf(verify(signed(ping, NOW, privateKey)))).toBe('no_matching_secret');
  });

  it('answers a webhook-event PING and names a webhook event by its event type and bytes', () => {
    const ping = JSON.stringify({ version: 1, application_id: '2', type: 0 });
    expect(verify(signed(ping))).toEqual({ kind: 'respond', body: {} });
    const event = JSON.stringify({
      version: 1,
      application_id: '2',
      type: 1,
      event: { type: 'APPLICATION_AUTHORIZED', timestamp: NOW.toISOString(), data: {} },
    });
    expect(verify(signed(event))).toMatchObject({
      kind: 'event',
      event: {
        eventId: expect.stringMatching(/^[0-9a-f]{64}$/),
        eventType: 'APPLICATION_AUTHORIZED',
      },
    });
  });

  it('rejects a truncated signature and one that is not hex', () => {
    const request = signed(command);
    const signature = request.headers['X-Signature-Ed25519'];
    const withSignature = (value: string) => ({
      ...request,
      headers: { ...request.headers, 'X-Signature-Ed25519': value },
    });
    expect(verify(withSignature(signature.slice(0, -2))).kind).toBe('rejected');
    expect(reasonOf(verify(withSignature(`${signature.slice(0, -1)}g`)))).toBe(
      'malformed_signature',
    );
  });

  it('refuses a key that is not a 32-byte hex Ed25519 key, without printing it', () => {
    const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('hex');
    expect(() => verifier('discord', [p256])).toThrow(/is 91 bytes; an Ed25519 public key is 32/);
    expect(() => verifier('discord', ['not-hex-at-all'])).toThrow(/not hex/);
    expect(() => verifier('discord', [PUBLIC_KEY.slice(0, -2)])).toThrow(/31 bytes/);
    expect(() => verifier('discord', ['zz-secret-looking-value'])).toThrow(
      /^a discord public key is not hex$/,
    );
  });
});

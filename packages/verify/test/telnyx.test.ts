import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { telnyxSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, unixSeconds, verifier } from './support.ts';

const PUBLIC_KEY = SAMPLE_KEYS.telnyx.configured;
const body = fixture('telnyx-message.received.json');

const request = (signature: string, timestamp: string) => ({
  headers: {
    'Content-Type': 'application/json',
    'telnyx-signature-ed25519': signature,
    'telnyx-timestamp': timestamp,
  },
  body,
  url: '/webhooks/telnyx',
});

const verify = (r: ReturnType<typeof request>, now = NOW) =>
  verifier('telnyx', [PUBLIC_KEY]).verify(incoming(r, now));

/**
 * Telnyx's documented scheme, as its SDK runs it: WebCrypto's Ed25519 over the UTF-8 of
 * `<timestamp>|<payload>`, the key imported raw from the base64 Mission Control shows.
 */
async function telnyxDocumentedSignature(timestamp: string, payload: string) {
  const key = await webcrypto.subtle.importKey(
    'jwk',
    SAMPLE_KEYS.telnyx.privateKey.export({ format: 'jwk' }),
    { name: 'Ed25519' },
    false,
    ['sign'],
  );
  const message = new TextEncoder().encode(`${timestamp}|${payload}`);
  return Buffer.from(await webcrypto.subtle.sign('Ed25519', key, message)).toString('base64');
}

async function telnyxDocumentedCheck(signature: string, timestamp: string, payload: string) {
  const key = await webcrypto.subtle.importKey(
    'raw',
    Buffer.from(PUBLIC_KEY, 'base64'),
    { name: 'Ed25519' },
    false,
    ['verify'],
  );
  const message = new TextEncoder().encode(`${timestamp}|${payload}`);
  return webcrypto.subtle.verify('Ed25519', key, Buffer.from(signature, 'base64'), message);
}

describe('telnyx', () => {
  const timestamp = String(unixSeconds(NOW));

  it('accepts a signature made by the documented scheme, and our signer makes the same', async () => {
    const documented = await telnyxDocumentedSignature(timestamp, body.toString('utf8'));
    expect(verify(request(documented, timestamp))).toMatchObject({
      kind: 'event',
      event: { eventId: 'b301ed3f-1490-491f-995f-6e64e69674d4', eventType: 'message.received' },
    });
    // Ed25519 is deterministic: one key and message, one signature.
    expect(telnyxSignature(SAMPLE_KEYS.telnyx.privateKey, timestamp, body)).toBe(documented);
    expect(await telnyxDocumentedCheck(documented, timestamp, body.toString('utf8'))).toBe(true);
  });

  it('signs the timestamp: the same signature under another timestamp is refused', () => {
    const signature = telnyxSignature(SAMPLE_KEYS.telnyx.privateKey, timestamp, body);
    const later = String(unixSeconds(NOW) + 1);
    expect(reasonOf(verify(request(signature, later)))).toBe('no_matching_secret');
  });

  it('refuses a delivery older than its tolerance (300 s by default, set per source)', () => {
    const at = secondsFrom(NOW, -600);
    const old = String(unixSeconds(at));
    const signature = telnyxSignature(SAMPLE_KEYS.telnyx.privateKey, old, body);
    expect(reasonOf(verify(request(signature, old)))).toBe('stale_timestamp');
    const patient = verifier('telnyx', [PUBLIC_KEY], { toleranceSeconds: 900 });
    expect(patient.verify(incoming(request(signature, old))).kind).toBe('event');
  });

  it('rejects bad base64 and a signature cut short', () => {
    const signature = telnyxSignature(SAMPLE_KEYS.telnyx.privateKey, timestamp, body);
    expect(reasonOf(verify(request('%%not base64%%', timestamp)))).toBe('malformed_signature');
    const truncated = Buffer.from(signature, 'base64').subarray(0, 63).toString('base64');
    expect(reasonOf(verify(request(truncated, timestamp)))).toBe('no_matching_secret');
  });

  it('refuses a key that is not a base64 Ed25519 public key', () => {
    const ecKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .publicKey.export({ format: 'der', type: 'spki' })
      .toString('base64');
    expect(() => verifier('telnyx', [ecKey])).toThrow(/91 bytes; an Ed25519 public key is 32/);
    expect(() => verifier('telnyx', ['not base64!'])).toThrow(
      /^a telnyx public key is not base64$/,
    );
  });
});

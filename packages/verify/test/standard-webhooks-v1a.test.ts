import { generateKeyPairSync } from 'node:crypto';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { standardWebhooksSignature, standardWebhooksV1aSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const PUBLIC_KEY = SAMPLE_KEYS['standard-webhooks'].configured;
const PRIVATE_KEY = SAMPLE_KEYS['standard-webhooks'].privateKey;
const body = fixture('clerk-user.created.json');
const ID = 'msg_v1a';
const SECONDS = unixSeconds(NOW);

const request = (signature: string, id = ID) =>
  incoming({
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(SECONDS),
      'webhook-signature': signature,
    },
    body,
    url: '/webhooks/clerk',
  });

const v1 = standardWebhooksSignature(SECRET, ID, SECONDS, body);
const v1a = standardWebhooksV1aSignature(PRIVATE_KEY, ID, SECONDS, body);

describe('standard-webhooks v1a (Ed25519)', () => {
  it('checks v1a signatures with a whpk_ key and ignores v1 ones it cannot check', () => {
    const check = verifier('standard-webhooks', [PUBLIC_KEY]);
    expect(check.verify(request(`${v1} ${v1a}`))).toMatchObject({
      kind: 'event',
      event: { eventId: ID, eventType: 'user.created' },
    });
    expect(reasonOf(check.verify(request(v1)))).toBe('malformed_signature');
  });

  it('takes a whsec_ secret and a whpk_ key together, while a sender moves between them', () => {
    const both = verifier('standard-webhooks', [SECRET, PUBLIC_KEY]);
    expect(both.verify(request(v1)).kind).toBe('event');
    expect(both.verify(request(v1a)).kind).toBe('event');
    const other = generateKeyPairSync('ed25519').privateKey;
    const forged = standardWebhooksV1aSignature(other, ID, SECONDS, body);
    expect(reasonOf(both.verify(request(forged)))).toBe('no_matching_secret');
    expect(both.credentialHeaders).toEqual(['webhook-signature', 'svix-signature']);
  });

  it('signs the message ID: a v1a signature moved to another ID is refused', () => {
    const moved = request(v1a, 'msg_other');
    expect(reasonOf(verifier('standard-webhooks', [PUBLIC_KEY]).verify(moved))).toBe(
      'no_matching_secret',
    );
  });

  it('refuses a whpk_ key that is not 32 bytes of base64', () => {
    expect(() => verifier('standard-webhooks', ['whpk_c2hvcnQ='])).toThrow(
      /^a whpk_ public key is 5 bytes; an Ed25519 public key is 32$/,
    );
    expect(() => verifier('standard-webhooks', ['whpk_***'])).toThrow(/not base64/);
  });
});

import { createHmac } from 'node:crypto';
import { mailgunSignature } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { incoming, NOW, reasonOf, secondsFrom, unixSeconds, verifier } from './support.ts';

const KEY = 'mailgun-current-signing-key';
const PREVIOUS_KEY = 'mailgun-previous-signing-key';
const TOKEN = 'e0b5477167110d68991efc6b9f89f0a11066af27834600e123';

const eventData = {
  id: 'CPgfbmQMTCKtHW6uIWtuVe',
  event: 'delivered',
  timestamp: 1780315199.5,
  recipient: 'alice@example.com',
  'user-variables': {},
};

interface Signed {
  readonly timestamp?: string;
  readonly token?: string;
  readonly signature?: string;
  readonly 'parent-signature'?: string;
}

/** Mailgun's documented scheme, as its docs write it: hex HMAC-SHA256 of timestamp + token. */
const documented = (key: string, timestamp: string, token: string) =>
  createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');

const signedAt = (at: Date, key = KEY, token = TOKEN): Signed => {
  const timestamp = String(unixSeconds(at));
  return { timestamp, token, signature: mailgunSignature(key, timestamp, token) };
};

const post = (signature: Signed | undefined, data: object = eventData) =>
  incoming({
    url: '/webhooks/mailgun',
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify({ signature, 'event-data': data })),
  });

const mailgun = verifier('mailgun', [PREVIOUS_KEY, KEY]);

describe('mailgun', () => {
  it('signs as its docs do, and accepts a request signed by the documented code', () => {
    const timestamp = String(unixSeconds(NOW));
    expect(mailgunSignature(KEY, timestamp, TOKEN)).toBe(documented(KEY, timestamp, TOKEN));
    const signed = { timestamp, token: TOKEN, signature: documented(KEY, timestamp, TOKEN) };
    expect(mailgun.verify(post(signed))).toMatchObject({
      kind: 'event',
      event: { eventId: 'CPgfbmQMTCKtHW6uIWtuVe', eventType: 'delivered' },
    });
  });

  it('accepts either key during a rotation, and a subaccount signed by its parent', () => {
    expect(mailgun.verify(post(signedAt(NOW, PREVIOUS_KEY))).kind).toBe('event');
    const child = signedAt(NOW, 'a-subaccount-key');
    const parent = mailgunSignature(KEY, child.timestamp ?? '', TOKEN);
    expect(mailgun.verify(post({ ...child, 'parent-signature': parent })).kind).toBe('event');
    expect(reasonOf(mailgun.verify(post(child)))).toBe('no_matching_secret');
  });

  it('leaves the signature out of what is stored', () => {
    const result = mailgun.verify(post(signedAt(NOW)));
    if (result.kind !== 'event') throw new Error('not accepted');
    expect(JSON.parse(result.event.body)).toEqual({ 'event-data': eventData });
    expect(result.event.body).not.toContain(TOKEN);
  });

  it('keys the event on its token: a token carrying another body is a duplicate', () => {
    const first = mailgun.verify(post(signedAt(NOW)));
    const forged = mailgun.verify(post(signedAt(NOW), { ...eventData, id: 'another-id' }));
    const fresh = mailgun.verify(post(signedAt(NOW, KEY, `${TOKEN}x`)));
    if (first.kind !== 'event' || forged.kind !== 'event' || fresh.kind !== 'event') {
      throw new Error('not accepted');
    }
    expect(first.event.signedContentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(forged.event.signedContentSha256).toBe(first.event.signedContentSha256);
    expect(fresh.event.signedContentSha256).not.toBe(first.event.signedContentSha256);
  });

  it.each([
    ['a wrong key', { ...signedAt(NOW, 'not-our-key') }, 'no_matching_secret'],
    [
      'a truncated signature',
      { ...signedAt(NOW), signature: signedAt(NOW).signature?.slice(0, 63) },
      'malformed_signature',
    ],
    [
      'a signature cut to whole bytes',
      { ...signedAt(NOW), signature: signedAt(NOW).signature?.slice(0, 62) },
      'no_matching_secret',
    ],
    [
      'no signature field',
      { timestamp: signedAt(NOW).timestamp, token: TOKEN },
      'malformed_signature',
    ],
    ['no token', { ...signedAt(NOW), token: undefined }, 'malformed_signature'],
    ['a changed token', { ...signedAt(NOW), token: `${TOKEN}0` }, 'no_matching_secret'],
    ['a stale timestamp', signedAt(secondsFrom(NOW, -301)), 'stale_timestamp'],
    ['a timestamp from the future', signedAt(secondsFrom(NOW, 301)), 'stale_timestamp'],
  ])('rejects %s', (_label, signature, reason) => {
    expect(reasonOf(mailgun.verify(post(signature)))).toBe(reason);
  });

  it('rejects a body without its signature object', () => {
    expect(reasonOf(mailgun.verify(post(undefined)))).toBe('missing_signature');
  });

  it('accepts a timestamp within the window, which toleranceSeconds sets', () => {
    expect(mailgun.verify(post(signedAt(secondsFrom(NOW, -300)))).kind).toBe('event');
    const strict = verifier('mailgun', [KEY], { toleranceSeconds: 60 });
    expect(reasonOf(strict.verify(post(signedAt(secondsFrom(NOW, -61)))))).toBe('stale_timestamp');
  });

  it('never echoes the key, token or signature in a rejection', () => {
    const signed = signedAt(NOW, 'not-our-key');
    const text = JSON.stringify(mailgun.verify(post(signed)));
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(signed.signature?.slice(-16));
    expect(text).not.toContain(KEY);
  });
});

import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createVerifier, type Verification } from '../src/index.ts';
import { incoming, NOW, reasonOf, secondsFrom, unixSeconds } from './support.ts';

/**
 * Mailgun's legacy webhooks (and its routes' forward()) post form fields, not JSON:
 * `timestamp`, `token` and `signature` among them, signed as its docs say, in the PHP receiver
 * they give: hash_hmac('sha256', $_POST['timestamp'] . $_POST['token'], $key).
 */
const KEY = 'mailgun-legacy-signing-key';
const TOKEN = 'e0b5477167110d68991efc6b9f89f0a11066af27834600e123';
const FORM = 'application/x-www-form-urlencoded';

const documented = (key: string, timestamp: string, token: string) =>
  createHmac('sha256', key).update(`${timestamp}${token}`).digest('hex');

const signedFields = (at = NOW, key = KEY, token = TOKEN) => {
  const timestamp = String(unixSeconds(at));
  return { timestamp, token, signature: documented(key, timestamp, token) };
};

const legacyDelivered = (signing: Record<string, string | undefined> = signedFields()) => ({
  event: 'delivered',
  recipient: 'alice@example.com',
  domain: 'mg.example.com',
  'message-headers': '[["Subject", "Hi"]]',
  'Message-Id': '<20260601115958.1.ABCD@mg.example.com>',
  ...signing,
});

const urlencoded = (fields: Record<string, string | undefined>) =>
  new URLSearchParams(
    Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined),
  ).toString();

const BOUNDARY = '----mailgun-boundary-7MA4YWxkTrZu0gW';
const multipart = (fields: Record<string, string>, attachment?: { name: string; text: string }) => {
  const parts = Object.entries(fields).map(
    ([name, value]) =>
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  if (attachment) {
    parts.push(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="attachment-1"; filename="${attachment.name}"\r\nContent-Type: text/plain\r\n\r\n${attachment.text}\r\n`,
    );
  }
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
};

const mailgun = createVerifier('mailgun', {}, [KEY]);
const post = (contentType: string, body: string, now = NOW): Promise<Verification> =>
  Promise.resolve(
    mailgun.verify(
      incoming(
        { headers: { 'content-type': contentType }, body: Buffer.from(body), url: '/' },
        now,
      ),
    ),
  );

const eventOf = (result: Verification) => {
  if (result.kind !== 'event') throw new Error(`not accepted: ${reasonOf(result)}`);
  return result.event;
};

const signedPair = (fields = signedFields()) =>
  createHash('sha256').update(`${fields.timestamp}${fields.token}`).digest('hex');

describe('mailgun legacy form posts', () => {
  it('takes urlencoded and multipart bodies as well as JSON', () => {
    expect(mailgun.acceptsContentType(FORM)).toBe(true);
    expect(mailgun.acceptsContentType(`multipart/form-data; boundary=${BOUNDARY}`)).toBe(true);
    expect(mailgun.acceptsContentType('application/json')).toBe(true);
    expect(mailgun.acceptsContentType('text/plain')).toBe(false);
  });

  it('accepts a legacy event signed as the docs do, named by its signed timestamp and token', async () => {
    const event = eventOf(await post(FORM, urlencoded(legacyDelivered())));
    expect(event).toMatchObject({ eventId: signedPair(), eventType: 'delivered' });
    const stored = JSON.parse(event.body);
    expect(stored).toMatchObject({ event: 'delivered', recipient: 'alice@example.com' });
    expect(stored.timestamp).toBe(signedFields().timestamp);
    expect(event.body).not.toContain(TOKEN);
    expect(event.body).not.toContain(signedFields().signature);
  });

  it('accepts a multipart post, an attachment stored by its file name', async () => {
    const fields = { ...legacyDelivered(), event: 'bounced', code: '550' } as Record<
      string,
      string
    >;
    const body = multipart(fields, { name: 'bounce.eml', text: 'Received: from …' });
    const event = eventOf(await post(`multipart/form-data; boundary=${BOUNDARY}`, body));
    expect(event).toMatchObject({ eventId: signedPair(), eventType: 'bounced' });
    expect(JSON.parse(event.body)).toMatchObject({ code: '550', 'attachment-1': 'bounce.eml' });
  });

  it("types a route's forwarded message, which has no event, as inbound", async () => {
    const forwarded = { recipient: 'in@mg.example.com', subject: 'Hello', ...signedFields() };
    expect(eventOf(await post(FORM, urlencoded(forwarded))).eventType).toBe('inbound');
  });

  it('names a body changed under a captured token as the same event: the dedupe catches it', async () => {
    const first = eventOf(await post(FORM, urlencoded(legacyDelivered())));
    const changed = { ...legacyDelivered(), recipient: 'mallory@example.com' };
    expect(eventOf(await post(FORM, urlencoded(changed))).eventId).toBe(first.eventId);
  });

  it.each([
    ['a wrong key', signedFields(NOW, 'not-our-key'), 'no_matching_secret'],
    ['a changed token', { ...signedFields(), token: `${TOKEN}0` }, 'no_matching_secret'],
    [
      'a truncated signature',
      { ...signedFields(), signature: signedFields().signature.slice(0, 63) },
      'malformed_signature',
    ],
    ['no signature field', { ...signedFields(), signature: undefined }, 'malformed_signature'],
    [
      'no signing fields at all',
      { timestamp: undefined, token: undefined, signature: undefined },
      'missing_signature',
    ],
    ['a stale timestamp', signedFields(secondsFrom(NOW, -301)), 'stale_timestamp'],
  ])('refuses %s', async (_label, signing, reason) => {
    expect(reasonOf(await post(FORM, urlencoded(legacyDelivered(signing))))).toBe(reason);
    const fields = Object.fromEntries(
      Object.entries(legacyDelivered(signing)).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    expect(
      reasonOf(await post(`multipart/form-data; boundary=${BOUNDARY}`, multipart(fields))),
    ).toBe(reason);
  });

  it('refuses a signing field sent twice, and a multipart body that cannot be read', async () => {
    const twice = `${urlencoded(legacyDelivered())}&token=${TOKEN}`;
    expect(reasonOf(await post(FORM, twice))).toBe('malformed_signature');
    expect(reasonOf(await post(`multipart/form-data; boundary=${BOUNDARY}`, 'not multipart'))).toBe(
      'malformed_body',
    );
  });
});

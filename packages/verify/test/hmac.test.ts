import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createVerifier } from '../src/index.ts';
import { defaultHmacSignature } from './signers.ts';
import { incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const SECRET = 'generic-secret';
const event = (extra: Record<string, unknown> = {}) =>
  Buffer.from(JSON.stringify({ id: 'evt_1', type: 'thing.happened', ...extra }));
const mac = (algorithm: string, encoding: 'hex' | 'base64', ...parts: (string | Buffer)[]) => {
  const h = createHmac(algorithm, SECRET);
  for (const part of parts) h.update(part);
  return h.digest(encoding);
};
const send = (
  options: Record<string, unknown>,
  headers: Record<string, string>,
  body: Buffer,
  url = '/webhooks/x',
) => verifier('hmac', [SECRET], options).verify(incoming({ headers, body, url }));

describe('hmac, configured', () => {
  it('keeps the original options: a body timestamp field, ID and type fields', () => {
    const body = event({ at: unixSeconds(NOW), ref: 'r-9', kind: 'k' });
    const options = { timestampField: 'at', idField: 'ref', typeField: 'kind' };
    expect(
      send(options, { 'x-signature': defaultHmacSignature(SECRET, body) }, body),
    ).toMatchObject({
      event: { eventId: 'r-9', eventType: 'k' },
    });
  });

  it('takes an integer ID as text, but refuses one too large to be exact', () => {
    const sign = (body: Buffer) => ({ 'x-signature': defaultHmacSignature(SECRET, body) });
    const small = Buffer.from('{"id":42,"type":"t"}');
    expect(send({}, sign(small), small)).toMatchObject({ event: { eventId: '42' } });
    // 2^53 + 1 and 2^53 parse to the same number: two events would share one ID.
    const large = Buffer.from('{"id":9007199254740993,"type":"t"}');
    expect(reasonOf(send({}, sign(large), large))).toBe('malformed_body');
    const fraction = Buffer.from('{"id":1.5,"type":"t"}');
    expect(reasonOf(send({}, sign(fraction), fraction))).toBe('malformed_body');
  });

  it('signs sha1 in base64 under any header and prefix', () => {
    const body = event();
    const options = { header: 'X-Hook-Sig', prefix: '', algorithm: 'sha1', encoding: 'base64' };
    expect(send(options, { 'X-Hook-Sig': mac('sha1', 'base64', body) }, body).kind).toBe('event');
  });

  it('signs an ID and timestamp from headers: {id}:{timestamp}:{body}', () => {
    const body = event();
    const ts = String(unixSeconds(NOW));
    const options = {
      signed: '{id}:{timestamp}:{body}',
      idHeader: 'X-Id',
      timestampHeader: 'X-Ts',
      prefix: '',
    };
    const headers = {
      'X-Id': 'msg-4',
      'X-Ts': ts,
      'x-signature': mac('sha256', 'hex', `msg-4:${ts}:`, body),
    };
    expect(send(options, headers, body)).toMatchObject({ event: { eventId: 'msg-4' } });
    expect(reasonOf(send(options, { ...headers, 'X-Id': 'msg-5' }, body))).toBe(
      'no_matching_secret',
    );
  });

  it('signs the public URL: {url}{body}', () => {
    const body = event();
    const options = { signed: '{url}{body}', publicUrl: 'https://in.example.com', prefix: '' };
    const signature = mac('sha256', 'hex', 'https://in.example.com/webhooks/x?src=1', body);
    expect(send(options, { 'x-signature': signature }, body, '/webhooks/x?src=1').kind).toBe(
      'event',
    );
    expect(reasonOf(send(options, { 'x-signature': signature }, body, '/webhooks/x?src=2'))).toBe(
      'no_matching_secret',
    );
  });

  it('reads millisecond and ISO 8601 timestamps when told to', () => {
    const ms = event({ sent: NOW.getTime() });
    expect(
      send(
        { timestampField: 'sent', timestampFormat: 'unix-ms' },
        { 'x-signature': defaultHmacSignature(SECRET, ms) },
        ms,
      ).kind,
    ).toBe('event');
    const iso = event({ sent: NOW.toISOString() });
    expect(
      send(
        { timestampField: 'sent', timestampFormat: 'iso8601' },
        { 'x-signature': defaultHmacSignature(SECRET, iso) },
        iso,
      ).kind,
    ).toBe('event');
    expect(
      reasonOf(
        send(
          { timestampField: 'sent', timestampFormat: 'unix-seconds' },
          { 'x-signature': defaultHmacSignature(SECRET, iso) },
          iso,
        ),
      ),
    ).toBe('malformed_signature');
  });

  it('gives every event one fixed type when asked', () => {
    const body = Buffer.from('{"id":"e1"}');
    expect(
      send({ eventType: 'ping' }, { 'x-signature': defaultHmacSignature(SECRET, body) }, body),
    ).toMatchObject({
      event: { eventType: 'ping' },
    });
  });

  it('rejects mixed-case hex, which decodes to the same bytes as the real signature', () => {
    const body = event();
    const hex = defaultHmacSignature(SECRET, body).slice('sha256='.length);
    const mixed = hex.replace(/[a-f]/, (c) => c.toUpperCase());
    expect(send({}, { 'x-signature': `sha256=${hex.toUpperCase()}` }, body).kind).toBe('event');
    expect(reasonOf(send({}, { 'x-signature': `sha256=${mixed}` }, body))).toBe(
      'malformed_signature',
    );
  });

  it.each([
    [{ signed: '{timestamp}' }, 'must contain {body} exactly once'],
    [{ signed: '{body}{body}' }, 'must contain {body} exactly once'],
    [{ signed: '{ts}.{body}' }, 'unknown placeholder {ts}'],
    [{ signed: '{timestamp}.{body}' }, '{timestamp} needs a timestamp header'],
    [{ timestampHeader: 'x-ts' }, 'a timestamp header must be signed'],
    [{ signed: '{id}.{body}' }, '{id} needs an ID header'],
    [{ signed: '{url}{body}' }, '{url} needs a public URL'],
    [{ signed: '{url}{body}', publicUrl: 'not a url' }, 'Invalid URL'],
    [{ idField: 'a', idHeader: 'b' }, 'use idField or idHeader'],
    [{ typeField: 'a', eventType: 'b' }, 'use one of typeField, typeHeader or eventType'],
    [
      { timestampField: 'a', timestampHeader: 'b', signed: '{timestamp}{body}' },
      'use one of timestampField, timestampHeader or timestampKey',
    ],
    [{ timestampKey: 't', signed: '{timestamp}.{body}' }, 'set signatureKey too'],
    [{ signatureKey: 'v1', timestampKey: 't' }, 'a timestampKey must be signed'],
  ])('refuses %j at start-up', (options, message) => {
    let error: unknown;
    try {
      createVerifier('hmac', options, [SECRET]);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(z.ZodError);
    expect((error as z.ZodError).issues.map((issue) => issue.message).join('; ')).toContain(
      message,
    );
  });
});

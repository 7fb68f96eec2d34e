import { createHash } from 'node:crypto';
import { boxSignature } from '@webhook-inbox/signing';
import { WebhooksManager } from 'box-node-sdk/managers';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { signSample } from '../src/index.ts';
import { boxBody, boxTime } from './cases/content-platforms.ts';
import { incoming, NOW, reasonOf, type SignedRequest, verifier, withHeader } from './support.ts';

/** The vector of Box's own SDK tests (`testWebhookValidation`): its body, keys and headers. */
const VECTOR = {
  primaryKey: 'SamplePrimaryKey',
  secondaryKey: 'SampleSecondaryKey',
  body: '{"type":"webhook_event","webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"Test.txt"}}',
  timestamp: '2020-01-01T00:00:00-07:00',
  primary: '6TfeAW3A1PASkgboxxA5yqHNKOwFyMWuEXny/FPD5hI=',
  secondary: 'v+1CD1Jdo3muIcbpv5lxxgPglOqMfsNHPV899xWYydo=',
  /** Non-ASCII as Box's JSON writes it, escaped, and the primary signature of those bytes. */
  escapedBody:
    '{"webhook":{"id":"1234567890"},"trigger":"FILE.UPLOADED","source":{"id":"1234567890","type":"file","name":"\\u30b9\\u30af\\u30ea\\u30fc\\u30f3\\u30b7\\u30e7\\u30c3\\u30c8 2020-08-05.txt"}}',
  escapedPrimary: 'LV2uCu+5NJtIHrCXDYgZ0v/PP5THGRuegw3RtdnEyuE=',
};
const VECTOR_NOW = new Date('2020-01-01T07:00:30Z');

const boxHeaders = (timestamp: string, signatures: Record<string, string>) => ({
  'Content-Type': 'application/json',
  'BOX-DELIVERY-ID': 'f96bb54b-ee16-4fc5-aa65-8c2d9e5b546f',
  'BOX-DELIVERY-TIMESTAMP': timestamp,
  'BOX-SIGNATURE-VERSION': '1',
  'BOX-SIGNATURE-ALGORITHM': 'HmacSHA256',
  ...signatures,
});

const vectorRequest = (signatures: Record<string, string>, body = VECTOR.body): SignedRequest => ({
  headers: boxHeaders(VECTOR.timestamp, signatures),
  body: Buffer.from(body),
  url: '/webhooks/box',
});

const BOTH = {
  'BOX-SIGNATURE-PRIMARY': VECTOR.primary,
  'BOX-SIGNATURE-SECONDARY': VECTOR.secondary,
};

const verifyWith = (keys: string[], request: SignedRequest, now = VECTOR_NOW) =>
  verifier('box', keys).verify(incoming(request, now));

/** What Box's SDK says of a request, its headers lower-cased as a server hands them over. */
const sdkAccepts = (request: SignedRequest, primaryKey: string, secondaryKey?: string) =>
  WebhooksManager.validateMessage(
    request.body.toString('utf8'),
    Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v])),
    primaryKey,
    secondaryKey === undefined ? {} : { secondaryKey },
  );

describe("box: the vector of Box's SDK tests", () => {
  it('signs it as Box does', () => {
    expect(boxSignature(VECTOR.primaryKey, VECTOR.body, VECTOR.timestamp)).toBe(VECTOR.primary);
    expect(boxSignature(VECTOR.secondaryKey, VECTOR.body, VECTOR.timestamp)).toBe(VECTOR.secondary);
  });

  it('accepts it under either key, and names a body without an id by its bytes', () => {
    for (const keys of [
      [VECTOR.primaryKey],
      [VECTOR.secondaryKey],
      ['IncorrectKey', VECTOR.secondaryKey],
    ]) {
      expect(verifyWith(keys, vectorRequest(BOTH))).toMatchObject({
        kind: 'event',
        event: {
          eventId: createHash('sha256').update(VECTOR.body).digest('hex'),
          eventType: 'FILE.UPLOADED',
        },
      });
    }
    expect(reasonOf(verifyWith(['IncorrectKey'], vectorRequest(BOTH)))).toBe('no_matching_secret');
  });

  it('verifies the bytes as sent: non-ASCII escaped as Box writes it', () => {
    const request = vectorRequest(
      { 'BOX-SIGNATURE-PRIMARY': VECTOR.escapedPrimary },
      VECTOR.escapedBody,
    );
    expect(verifyWith([VECTOR.primaryKey], request).kind).toBe('event');
  });

  it('refuses a signature version or algorithm Box does not use, as its SDK does', () => {
    const v2 = withHeader(vectorRequest(BOTH), 'BOX-SIGNATURE-VERSION', '2');
    const sha1 = withHeader(vectorRequest(BOTH), 'BOX-SIGNATURE-ALGORITHM', 'HmacSHA1');
    const unnamed = withHeader(vectorRequest(BOTH), 'BOX-SIGNATURE-VERSION', undefined);
    for (const request of [v2, sha1, unnamed]) {
      expect(reasonOf(verifyWith([VECTOR.primaryKey], request))).toBe('malformed_signature');
    }
  });

  it('refuses a payload older than ten minutes, or without a readable timestamp', () => {
    const later = new Date(VECTOR_NOW.getTime() + 601_000);
    expect(reasonOf(verifyWith([VECTOR.primaryKey], vectorRequest(BOTH), later))).toBe(
      'stale_timestamp',
    );
    const unreadable = withHeader(vectorRequest(BOTH), 'BOX-DELIVERY-TIMESTAMP', 'yesterday');
    expect(reasonOf(verifyWith([VECTOR.primaryKey], unreadable))).toBe('malformed_signature');
  });
});

const verify = (keys: string[], request: SignedRequest, now = NOW) =>
  verifier('box', keys).verify(incoming(request, now));

describe("box: Box's SDK as the oracle", () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => vi.useRealTimers());

  const signed = (primary: string, secondary: string): SignedRequest => ({
    headers: boxHeaders(boxTime(NOW), {
      'BOX-SIGNATURE-PRIMARY': boxSignature(primary, boxBody, boxTime(NOW)),
      'BOX-SIGNATURE-SECONDARY': boxSignature(secondary, boxBody, boxTime(NOW)),
    }),
    body: boxBody,
    url: '/webhooks/box',
  });

  it('accepts what our signer sends, and so do we, through a rotation of either key', async () => {
    const request = signed('new-primary', 'old-secondary');
    expect(await sdkAccepts(request, 'new-primary', 'old-secondary')).toBe(true);
    expect(await sdkAccepts(request, 'old-primary', 'old-secondary')).toBe(true);
    expect(verify(['old-primary', 'old-secondary'], request).kind).toBe('event');
    expect(verify(['new-primary'], request).kind).toBe('event');
    expect(await sdkAccepts(request, 'old-primary', 'older-secondary')).toBe(false);
    expect(reasonOf(verify(['old-primary', 'older-secondary'], request))).toBe(
      'no_matching_secret',
    );
  });

  it("accepts the module's sample, as the SDK does", async () => {
    const sample = signSample(
      { name: 'box', provider: 'box', secret: 'sample-primary-key' },
      { id: 'evt-1', type: 'FOLDER.CREATED' },
      NOW,
    );
    if (!sample.ok) throw new Error(sample.error);
    const { headers, body, path } = sample.request;
    const request = { headers, body: Buffer.from(body), url: path };
    expect(await sdkAccepts(request, 'sample-primary-key')).toBe(true);
    expect(verify(['sample-primary-key'], request)).toMatchObject({
      kind: 'event',
      event: { eventId: 'evt-1', eventType: 'FOLDER.CREATED' },
    });
  });

  it('agrees with the SDK on a tampered body and a stale timestamp', async () => {
    const request = signed('k1', 'k2');
    const tampered = { ...request, body: Buffer.from(boxBody.toString().replace('123', '124')) };
    expect(await sdkAccepts(tampered, 'k1', 'k2')).toBe(false);
    expect(reasonOf(verify(['k1', 'k2'], tampered))).toBe('no_matching_secret');
    vi.setSystemTime(new Date(NOW.getTime() + 601_000));
    expect(await sdkAccepts(request, 'k1', 'k2')).toBe(false);
    expect(reasonOf(verify(['k1', 'k2'], request, new Date()))).toBe('stale_timestamp');
  });
});

import { describe, expect, it } from 'vitest';
import { shopifySignature } from './signers.ts';
import { fixture, incoming, reasonOf, verifier } from './support.ts';

const SECRET = 'shpss_current_client_secret';
const body = fixture('shopify-orders-create.json');
const shopify = verifier('shopify', [SECRET]);
const check = (headers: Record<string, string>, payload = body) =>
  shopify.verify(incoming({ headers, body: payload, url: '/webhooks/shopify' }));

describe('shopify', () => {
  it('signs the raw bytes: non-ASCII names survive byte for byte', () => {
    expect(body.toString('utf8')).toContain('Zoë');
    const result = check({
      'X-Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Event-Id': 'evt-1',
    });
    expect(result).toMatchObject({ kind: 'event', event: { body: body.toString('utf8') } });
  });

  it('falls back to X-Shopify-Webhook-Id when no event ID is sent', () => {
    const result = check({
      'X-Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    });
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventType: 'orders/create' },
    });
  });

  it('rejects a signature in hex (Shopify sends base64)', () => {
    const hex = Buffer.from(shopifySignature(SECRET, body), 'base64').toString('hex');
    const result = check({ 'X-Shopify-Hmac-Sha256': hex, 'X-Shopify-Topic': 'orders/create' });
    expect(reasonOf(result)).toBe('no_matching_secret');
  });

  it('answers 400 for a verified event without a topic', () => {
    const result = check({
      'X-Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
      'X-Shopify-Event-Id': 'e',
    });
    expect(result).toMatchObject({ kind: 'rejected', reason: 'malformed_body' });
  });

  it('reads the headers newer API versions send without the X- prefix', () => {
    const result = check({
      'Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
      'Shopify-Topic': 'orders/paid',
      'Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
    });
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventId: 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043', eventType: 'orders/paid' },
    });
    expect(shopify.credentialHeaders).toEqual(['x-shopify-hmac-sha256', 'shopify-hmac-sha256']);
  });

  it('prefers an event ID under either name to a webhook ID under either name', () => {
    const result = check({
      'X-Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
      'X-Shopify-Topic': 'orders/create',
      'X-Shopify-Webhook-Id': 'webhook-id',
      'Shopify-Event-Id': 'event-id',
    });
    expect(result).toMatchObject({ kind: 'event', event: { eventId: 'event-id' } });
  });

  it('keys one body under several topics apart, and one topic under a new ID together', () => {
    const keyOf = (topic: string, eventId: string) => {
      const result = check({
        'X-Shopify-Hmac-Sha256': shopifySignature(SECRET, body),
        'X-Shopify-Topic': topic,
        'X-Shopify-Event-Id': eventId,
      });
      if (result.kind !== 'event') throw new Error(`not accepted: ${reasonOf(result)}`);
      return result.event.signedContentSha256;
    };
    const created = keyOf('orders/create', 'e-1');
    expect(created).toMatch(/^[0-9a-f]{64}$/);
    expect(keyOf('orders/updated', 'e-2')).not.toBe(created);
    expect(keyOf('orders/paid', 'e-3')).not.toBe(keyOf('orders/updated', 'e-2'));
    expect(keyOf('orders/create', 'e-4')).toBe(created);
  });
});

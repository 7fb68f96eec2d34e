import { randomUUID } from 'node:crypto';
import {
  hex,
  json,
  type Sample,
  type SignedSample,
  shopifySignature,
} from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * `X-Shopify-Hmac-Sha256: <base64 HMAC-SHA256 of the body>`. Newer API versions send the same
 * headers without the `X-` prefix (`Shopify-Hmac-Sha256`, `Shopify-Topic`, …); either is read.
 * No signed timestamp, so replay defence is the dedupe on the event ID.
 */
const SIGNATURE = ['x-shopify-hmac-sha256', 'shopify-hmac-sha256'];

const shopifyVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'base64',
  header: SIGNATURE,
  naming: {
    id: [
      header('x-shopify-event-id', 'shopify-event-id'),
      header('x-shopify-webhook-id', 'shopify-webhook-id'),
    ],
    type: [header('x-shopify-topic', 'shopify-topic')],
  },
});

function shopifySample(s: Sample): SignedSample {
  const body = JSON.stringify(s.data ?? { id: Number.parseInt(hex(4), 16), currency: 'USD' });
  return json(
    s,
    {
      'X-Shopify-Topic': s.type ?? 'orders/create',
      'X-Shopify-Event-Id': s.id ?? randomUUID(),
      'X-Shopify-Webhook-Id': randomUUID(),
      'X-Shopify-Shop-Domain': 'example.myshopify.com',
      'X-Shopify-Triggered-At': s.at.toISOString(),
      'X-Shopify-Hmac-Sha256': shopifySignature(s.source.secret, body),
    },
    body,
  );
}

export const shopify = defineProvider({
  name: 'shopify',
  options: noOptions,
  verifier: shopifyVerifier,
  credentialHeaders: SIGNATURE,
  signedTimestamp: false,
  sample: shopifySample,
  docs: {
    entry: { name: 'shopify', secret: 'env:SHOPIFY_SECRET' },
    verified: '`X-Shopify-Hmac-Sha256` (or `Shopify-Hmac-Sha256`): base64 HMAC-SHA256 of the body',
    replayWindow: 'none (no signed timestamp)',
    eventId: 'header `X-Shopify-Event-Id`, else `X-Shopify-Webhook-Id`',
    eventType: 'header `X-Shopify-Topic`',
    oracle: { documented: 'receiver code' },
  },
});

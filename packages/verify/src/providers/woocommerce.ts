import {
  hex,
  json,
  type Sample,
  type SignedSample,
  woocommerceSignature,
} from '@webhook-inbox/signing';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256 of the body>`, keyed by the
 * webhook's secret. The body is the resource itself (an order, a product), so the delivery and
 * topic come from unsigned headers: `X-WC-Webhook-Delivery-ID` and `X-WC-Webhook-Topic`.
 */
const SIGNATURE = 'x-wc-webhook-signature';

function woocommerceVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: { kind: 'single', names: [SIGNATURE], prefix: '' },
      signed: '{body}',
      naming: {
        id: [header('x-wc-webhook-delivery-id')],
        type: [header('x-wc-webhook-topic')],
      },
    },
    utf8Keys(secrets),
  );
}

function woocommerceSample(s: Sample): SignedSample {
  const topic = s.type ?? 'order.created';
  const [resource = 'order', event = 'created'] = topic.split('.');
  const body = JSON.stringify(
    s.data ?? { id: 727, status: 'processing', currency: 'EUR', total: '49.00', line_items: [] },
  );
  return json(
    s,
    {
      'X-WC-Webhook-Source': 'https://shop.example.com/',
      'X-WC-Webhook-Topic': topic,
      'X-WC-Webhook-Resource': resource,
      'X-WC-Webhook-Event': event,
      'X-WC-Webhook-ID': '1',
      'X-WC-Webhook-Delivery-ID': s.id ?? hex(16),
      'X-WC-Webhook-Signature': woocommerceSignature(s.source.secret, body),
    },
    body,
  );
}

export const woocommerce = defineProvider({
  name: 'woocommerce',
  options: noOptions,
  verifier: woocommerceVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: woocommerceSample,
  docs: {
    entry: { name: 'shop', secret: 'env:WOOCOMMERCE_WEBHOOK_SECRET' },
    verified: '`X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the body',
    replayWindow: 'none (no timestamp)',
    eventId: 'header `X-WC-Webhook-Delivery-ID`',
    eventType: 'header `X-WC-Webhook-Topic` (`order.created`, …)',
  },
});

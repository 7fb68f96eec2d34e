import {
  hex,
  json,
  type Sample,
  type SignedSample,
  woocommerceSignature,
} from '@webhook-inbox/signing';
import { headerValue } from '../body.ts';
import { bodyHmacVerifier } from '../engine/body-hmac.ts';
import { isFormContentType } from '../form.ts';
import { header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { type IncomingWebhook, isJsonContentType, respond, type Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256 of the body>`, keyed by the
 * webhook's secret. The body is the resource itself (an order, a product), so the delivery and
 * topic come from unsigned headers: `X-WC-Webhook-Delivery-ID` and `X-WC-Webhook-Topic`.
 */
const SIGNATURE = 'x-wc-webhook-signature';

/** What WooCommerce posts, unsigned, when a webhook is saved; it wants a 200 back. */
const PING = /^webhook_id=\d{1,20}$/;

/**
 * Unsigned, and safe so: the answer says nothing, and nothing is stored. A request that carries
 * a signature is never a ping: it is checked as an event.
 */
function isPing(request: IncomingWebhook): boolean {
  if (headerValue(request.headers, SIGNATURE) !== undefined) return false;
  if (!isFormContentType(headerValue(request.headers, 'content-type') ?? '')) return false;
  return PING.test(request.rawBody.toString('latin1'));
}

function woocommerceVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  const events = bodyHmacVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      header: SIGNATURE,
      naming: {
        id: [header('x-wc-webhook-delivery-id')],
        type: [header('x-wc-webhook-topic')],
      },
    },
    secrets,
  );
  return {
    credentialHeaders: events.credentialHeaders,
    acceptsContentType: (type) => isJsonContentType(type) || isFormContentType(type),
    answersUnsignedPost: true,
    verify: (request) => (isPing(request) ? respond({}) : events.verify(request)),
  };
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
  handshake: {
    description: 'the unsigned `webhook_id=<n>` form posted when a webhook is saved: `{}`',
  },
  sample: woocommerceSample,
  docs: {
    entry: { name: 'shop', secret: 'env:WOOCOMMERCE_WEBHOOK_SECRET' },
    verified: '`X-WC-Webhook-Signature`: base64 HMAC-SHA256 of the body',
    replayWindow: 'none (no timestamp)',
    eventId: 'header `X-WC-Webhook-Delivery-ID`',
    eventType: 'header `X-WC-Webhook-Topic` (`order.created`, …)',
    oracle: { documented: 'receiver code' },
  },
});

import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderName } from '../src/index.ts';
import { NOW } from './support.ts';

/**
 * The receiver code in each provider's own documentation, reproduced here as written there
 * (where no SDK of the provider verifies a webhook): the docs' check, and the docs'
 * construction of the headers it checks.
 */
export const DOCS_SECRET = 'reference-secret-for-docs-code';

const hmacOf = (algorithm: string, key: string, data: string) =>
  createHmac(algorithm, key).update(data);

export interface DocsReceiver {
  readonly provider: ProviderName;
  readonly secret?: string;
  /** Options the provider cannot be built without. */
  readonly options?: Record<string, unknown>;
  /** The docs' check, given the lower-cased headers and the raw body as text. */
  accepts(headers: Record<string, string>, body: string, secret: string): boolean;
  /** The headers the docs' construction puts on `body`. */
  sign(body: string, secret: string): Record<string, string>;
}

export const DOCS_RECEIVERS: readonly DocsReceiver[] = [
  {
    // Sentry: hmac.update(JSON.stringify(request.body), 'utf8'), hex, vs Sentry-Hook-Signature.
    provider: 'sentry',
    accepts: (h, body, secret) =>
      createHmac('sha256', secret)
        .update(JSON.stringify(JSON.parse(body)), 'utf8')
        .digest('hex') === h['sentry-hook-signature'],
    sign: (body, secret) => ({
      'Request-ID': 'a3f1e0c2-0000-4000-8000-000000000001',
      'Sentry-Hook-Resource': 'issue',
      'Sentry-Hook-Signature': hmacOf('sha256', secret, body).digest('hex'),
    }),
  },
  {
    // Vercel: sha1 HMAC of the raw body, hex, vs x-vercel-signature.
    provider: 'vercel',
    accepts: (h, body, secret) =>
      hmacOf('sha1', secret, body).digest('hex') === h['x-vercel-signature'],
    sign: (body, secret) => ({ 'x-vercel-signature': hmacOf('sha1', secret, body).digest('hex') }),
  },
  {
    // Typeform: `sha256=${base64 HMAC-SHA256 of the payload}` vs Typeform-Signature.
    provider: 'typeform',
    accepts: (h, body, secret) =>
      `sha256=${hmacOf('sha256', secret, body).digest('base64')}` === h['typeform-signature'],
    sign: (body, secret) => ({
      'Typeform-Signature': `sha256=${hmacOf('sha256', secret, body).digest('base64')}`,
    }),
  },
  {
    // Intercom: `sha1=${hex HMAC-SHA1 of the body}` (client secret) vs X-Hub-Signature.
    provider: 'intercom',
    accepts: (h, body, secret) =>
      `sha1=${hmacOf('sha1', secret, body).digest('hex')}` === h['x-hub-signature'],
    sign: (body, secret) => ({
      'X-Hub-Signature': `sha1=${hmacOf('sha1', secret, body).digest('hex')}`,
    }),
  },
  {
    // Shopify (Node): createHmac('sha256', CLIENT_SECRET).update(rawBody, 'utf8').digest('base64'),
    // compared with timingSafeEqual to X-Shopify-Hmac-Sha256. (Its SDK, @shopify/shopify-api,
    // validates only inside a configured app, so the docs' code is the check here.)
    provider: 'shopify',
    accepts: (h, body, secret) => {
      const genHash = Buffer.from(hmacOf('sha256', secret, body).digest('base64'));
      const hmac = Buffer.from(h['x-shopify-hmac-sha256'] ?? '');
      return genHash.length === hmac.length && timingSafeEqual(genHash, hmac);
    },
    sign: (body, secret) => ({
      'X-Shopify-Topic': 'orders/paid',
      'X-Shopify-Webhook-Id': 'b54557e4-bdd9-4b37-8a5f-bf7d70bcd043',
      'X-Shopify-Hmac-Sha256': hmacOf('sha256', secret, body).digest('base64'),
    }),
  },
  {
    // WooCommerce (PHP): base64_encode(hash_hmac('sha256', $payload, $secret, true)).
    provider: 'woocommerce',
    accepts: (h, body, secret) =>
      hmacOf('sha256', secret, body).digest('base64') === h['x-wc-webhook-signature'],
    sign: (body, secret) => ({
      'X-WC-Webhook-Topic': 'order.updated',
      'X-WC-Webhook-Delivery-ID': 'b2f9c4e1d0a3f5e6b7c8d9e0f1a2b3c4',
      'X-WC-Webhook-Signature': hmacOf('sha256', secret, body).digest('base64'),
    }),
  },
  {
    // Zendesk: base64(HMACSHA256(TIMESTAMP + BODY)), with the static secret Zendesk signs its
    // test requests with.
    provider: 'zendesk',
    secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
    accepts: (h, body, secret) =>
      hmacOf('sha256', secret, `${h['x-zendesk-webhook-signature-timestamp']}${body}`).digest(
        'base64',
      ) === h['x-zendesk-webhook-signature'],
    sign: (body, secret) => {
      const timestamp = `${NOW.toISOString().slice(0, 19)}Z`;
      return {
        'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
        'X-Zendesk-Webhook-Signature': hmacOf('sha256', secret, timestamp + body).digest('base64'),
      };
    },
  },
  {
    // Zoom (Node): `v0:${timestamp}:${JSON.stringify(request.body)}`, hex, `v0=` + it vs
    // x-zm-signature.
    provider: 'zoom',
    accepts: (h, body, secret) =>
      `v0=${hmacOf('sha256', secret, `v0:${h['x-zm-request-timestamp']}:${JSON.stringify(JSON.parse(body))}`).digest('hex')}` ===
      h['x-zm-signature'],
    sign: (body, secret) => {
      const timestamp = String(Math.floor(NOW.getTime() / 1000));
      return {
        'x-zm-request-timestamp': timestamp,
        'x-zm-signature': `v0=${hmacOf('sha256', secret, `v0:${timestamp}:${body}`).digest('hex')}`,
      };
    },
  },
  {
    // Meta: X-Hub-Signature-256 is `sha256=` + the hex HMAC-SHA256 of the payload (app secret).
    provider: 'meta',
    options: { verifyToken: 'docs-verify-token' },
    accepts: (h, body, secret) =>
      `sha256=${hmacOf('sha256', secret, body).digest('hex')}` === h['x-hub-signature-256'],
    sign: (body, secret) => ({
      'X-Hub-Signature-256': `sha256=${hmacOf('sha256', secret, body).digest('hex')}`,
    }),
  },
  {
    // Dropbox (Python): hmac.compare_digest(signature, hmac.new(APP_SECRET, request.data, sha256).hexdigest()).
    provider: 'dropbox',
    accepts: (h, body, secret) =>
      hmacOf('sha256', secret, body).digest('hex') === h['x-dropbox-signature'],
    sign: (body, secret) => ({
      'X-Dropbox-Signature': hmacOf('sha256', secret, body).digest('hex'),
    }),
  },
  {
    // Lemon Squeezy: timingSafeEqual(Buffer.from(hex digest, 'utf8'), Buffer.from(X-Signature, 'utf8')).
    provider: 'lemon-squeezy',
    accepts: (h, body, secret) => {
      const digest = Buffer.from(hmacOf('sha256', secret, body).digest('hex'), 'utf8');
      const signature = Buffer.from(h['x-signature'] ?? '', 'utf8');
      return digest.length === signature.length && timingSafeEqual(digest, signature);
    },
    sign: (body, secret) => ({ 'X-Signature': hmacOf('sha256', secret, body).digest('hex') }),
  },
  {
    // GoCardless: Webhook-Signature is the hex HMAC-SHA256 of the body (endpoint secret).
    provider: 'gocardless',
    accepts: (h, body, secret) =>
      hmacOf('sha256', secret, body).digest('hex') === h['webhook-signature'],
    sign: (body, secret) => ({ 'Webhook-Signature': hmacOf('sha256', secret, body).digest('hex') }),
  },
  {
    // Calendly (Node): t and v1 from the header's `,`-split `key=value`s, the hex HMAC-SHA256 of
    // `${t}.${JSON.stringify(req.body)}` vs v1, and t within 3 minutes.
    provider: 'calendly',
    accepts: (h, body, secret) => {
      const fields = Object.fromEntries(
        (h['calendly-webhook-signature'] ?? '').split(',').map((pair) => pair.split('=')),
      );
      const data = `${fields.t}.${JSON.stringify(JSON.parse(body))}`;
      const fresh = Math.abs(NOW.getTime() / 1000 - Number(fields.t)) <= 180;
      return fresh && hmacOf('sha256', secret, data).digest('hex') === fields.v1;
    },
    sign: (body, secret) => {
      const t = Math.floor(NOW.getTime() / 1000);
      const v1 = hmacOf('sha256', secret, `${t}.${body}`).digest('hex');
      return { 'Calendly-Webhook-Signature': `t=${t},v1=${v1}` };
    },
  },
  {
    // PagerDuty (v3): `v1=` + hex HMAC-SHA256 of the body, one of X-PagerDuty-Signature's
    // comma-separated signatures.
    provider: 'pagerduty',
    accepts: (h, body, secret) =>
      (h['x-pagerduty-signature'] ?? '')
        .split(',')
        .includes(`v1=${hmacOf('sha256', secret, body).digest('hex')}`),
    sign: (body, secret) => ({
      'X-PagerDuty-Signature': `v1=${hmacOf('sha256', 'an-old-secret', body).digest('hex')},v1=${hmacOf('sha256', secret, body).digest('hex')}`,
    }),
  },
  {
    // Persona (Node): t and v1 of Persona-Signature, the hex HMAC-SHA256 of `${t}.${body}` vs v1.
    provider: 'persona',
    accepts: (h, body, secret) => {
      const params = new URLSearchParams(
        (h['persona-signature'] ?? '').split(' ')[0]?.replaceAll(',', '&'),
      );
      const digest = hmacOf('sha256', secret, `${params.get('t')}.${body}`).digest('hex');
      return digest === params.get('v1');
    },
    sign: (body, secret) => {
      const t = Math.floor(NOW.getTime() / 1000);
      return {
        'Persona-Signature': `t=${t},v1=${hmacOf('sha256', secret, `${t}.${body}`).digest('hex')}`,
      };
    },
  },
];

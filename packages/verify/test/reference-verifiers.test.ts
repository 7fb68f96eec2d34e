import { createHmac } from 'node:crypto';
import { verify as githubVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';
import { incoming, NOW, verifier } from './support.ts';

/**
 * No SDK of these providers verifies a webhook, so each is checked against the receiver code in
 * its own documentation, reproduced here as written there, both ways: what our signer sends,
 * that code accepts; what that code's construction signs, our verifier accepts.
 */
const SECRET = 'reference-secret-for-docs-code';

const hmacOf = (algorithm: string, key: string, data: string) =>
  createHmac(algorithm, key).update(data);

interface Reference {
  readonly provider: 'sentry' | 'vercel' | 'typeform' | 'intercom' | 'woocommerce' | 'zendesk';
  readonly secret?: string;
  /** The docs' check, given the lower-cased headers and the raw body as text. */
  accepts(headers: Record<string, string>, body: string, secret: string): boolean;
  /** The headers the docs' construction puts on `body`. */
  sign(body: string, secret: string): Record<string, string>;
}

const REFERENCES: readonly Reference[] = [
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
];

const lowerCased = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

function sample(provider: string, secret: string) {
  const signed = signSample({ name: provider, provider, secret }, { id: 'ref-1' }, NOW);
  if (!signed.ok) throw new Error(signed.error);
  return signed.request;
}

describe.each(REFERENCES)("$provider: the docs' receiver code", (reference) => {
  const secret = reference.secret ?? SECRET;

  it('accepts what our signer sends, and refuses it under another secret', () => {
    const { headers, body } = sample(reference.provider, secret);
    expect(reference.accepts(lowerCased(headers), body, secret)).toBe(true);
    expect(reference.accepts(lowerCased(headers), body, `${secret}x`)).toBe(false);
  });

  it('signs what our verifier accepts', () => {
    const body = sample(reference.provider, 'unrelated').body;
    const headers = { 'Content-Type': 'application/json', ...reference.sign(body, secret) };
    const request = incoming({ headers, body: Buffer.from(body), url: '/webhooks/ref' });
    expect(verifier(reference.provider, [secret]).verify(request).kind).toBe('event');
  });
});

describe("bitbucket: GitHub's verifier, whose construction Bitbucket Cloud uses", () => {
  it('accepts what our signer sends', async () => {
    const { headers, body } = sample('bitbucket', SECRET);
    const signature = lowerCased(headers)['x-hub-signature'] ?? '';
    expect(await githubVerify(SECRET, body, signature)).toBe(true);
    expect(await githubVerify(`${SECRET}x`, body, signature)).toBe(false);
  });
});

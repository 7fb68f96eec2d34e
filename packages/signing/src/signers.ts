import { createHmac } from 'node:crypto';

/**
 * How each provider signs, written from its documentation and independently of the verifiers
 * (nothing here imports `@webhook-inbox/verify`): the verifier tests use these as senders, and
 * where a provider's SDK can verify, a test checks them against it.
 */
export const mac = (algorithm: string, key: string | Buffer, ...parts: (string | Buffer)[]) => {
  const h = createHmac(algorithm, key);
  for (const part of parts) h.update(part);
  return h.digest();
};

export const stripeSignature = (secret: string, timestamp: number, body: Buffer | string) =>
  `t=${timestamp},v1=${mac('sha256', secret, `${timestamp}.`, body).toString('hex')}`;

export const githubSignature = (secret: string, body: Buffer | string) =>
  `sha256=${mac('sha256', secret, body).toString('hex')}`;

export const slackSignature = (secret: string, timestamp: number | string, body: Buffer | string) =>
  `v0=${mac('sha256', secret, `v0:${timestamp}:`, body).toString('hex')}`;

export const shopifySignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('base64');

export const paddleSignature = (secret: string, timestamp: number, body: Buffer | string) =>
  `ts=${timestamp};h1=${mac('sha256', secret, `${timestamp}:`, body).toString('hex')}`;

export const linearSignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('hex');

export const lemonSqueezySignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('hex');

export const squareSignature = (secret: string, notificationUrl: string, body: Buffer | string) =>
  mac('sha256', secret, notificationUrl, body).toString('base64');

/** Standard Webhooks, from the spec: the key is the base64 after `whsec_`. */
export function standardWebhooksSignature(
  secret: string,
  id: string,
  timestamp: number,
  body: Buffer | string,
) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${mac('sha256', key, `${id}.${timestamp}.`, body).toString('base64')}`;
}

/**
 * Twilio: base64 HMAC-SHA1 of the full URL it requested, then every form parameter as key +
 * value, keys sorted (a JSON body instead puts its SHA-256 in the URL as `bodySHA256`).
 */
export function twilioSignature(
  token: string,
  url: string,
  params: Readonly<Record<string, string>>,
) {
  const sorted = Object.keys(params)
    .sort()
    .map((key) => `${key}${params[key]}`)
    .join('');
  return mac('sha1', token, url, sorted).toString('base64');
}

/** WorkOS: `t=<unix ms>, v1=<hex HMAC-SHA256 of <t>.<body>>`, with a space after the comma. */
export const workosSignature = (secret: string, timestampMs: number, body: Buffer | string) =>
  `t=${timestampMs}, v1=${mac('sha256', secret, `${timestampMs}.`, body).toString('hex')}`;

/** Mux: `t=<unix>,v1=<hex HMAC-SHA256 of <t>.<body>>`. */
export const muxSignature = (secret: string, timestamp: number, body: Buffer | string) =>
  `t=${timestamp},v1=${mac('sha256', secret, `${timestamp}.`, body).toString('hex')}`;

/** Calendly: `t=<unix>,v1=<hex HMAC-SHA256 of <t>.<body>>`, keyed by the webhook signing key. */
export const calendlySignature = (secret: string, timestamp: number, body: Buffer | string) =>
  `t=${timestamp},v1=${mac('sha256', secret, `${timestamp}.`, body).toString('hex')}`;

/** PagerDuty (v3): `v1=<hex HMAC-SHA256 of the body>`, one per active secret, comma-separated. */
export const pagerDutySignature = (secrets: readonly string[], body: Buffer | string) =>
  secrets.map((secret) => `v1=${mac('sha256', secret, body).toString('hex')}`).join(',');

export const basicAuthorization = (credentials: string) =>
  `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;

/** A generic sender configured as `{timestamp}.{body}`, base64 HMAC-SHA512. */
export const templatedSignature = (secret: string, timestamp: number, body: Buffer | string) =>
  mac('sha512', secret, `${timestamp}.`, body).toString('base64');

/** The generic default scheme: `sha256=<hex HMAC-SHA256 of the body>`. */
export const defaultHmacSignature = (secret: string, body: Buffer | string) =>
  `sha256=${mac('sha256', secret, body).toString('hex')}`;

/** Bitbucket Cloud: `X-Hub-Signature: sha256=<hex HMAC-SHA256 of the body>`, as GitHub's `-256`. */
export const bitbucketSignature = (secret: string, body: Buffer | string) =>
  `sha256=${mac('sha256', secret, body).toString('hex')}`;

/** Sentry integrations: `Sentry-Hook-Signature: <hex HMAC-SHA256 of the body>` (client secret). */
export const sentrySignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('hex');

/** Vercel: `x-vercel-signature: <hex HMAC-SHA1 of the body>`. */
export const vercelSignature = (secret: string, body: Buffer | string) =>
  mac('sha1', secret, body).toString('hex');

/** Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>`. */
export const typeformSignature = (secret: string, body: Buffer | string) =>
  `sha256=${mac('sha256', secret, body).toString('base64')}`;

/** Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>`, keyed by the app's client secret. */
export const intercomSignature = (secret: string, body: Buffer | string) =>
  `sha1=${mac('sha1', secret, body).toString('hex')}`;

/** Mailgun: the body's `signature.signature`, hex HMAC-SHA256 of `<timestamp><token>`. */
export const mailgunSignature = (signingKey: string, timestamp: string, token: string) =>
  mac('sha256', signingKey, timestamp, token).toString('hex');

/** Zendesk: `X-Zendesk-Webhook-Signature`, base64 HMAC-SHA256 of `<timestamp><body>`. */
export const zendeskSignature = (secret: string, timestamp: string, body: Buffer | string) =>
  mac('sha256', secret, timestamp, body).toString('base64');

/** WooCommerce: `X-WC-Webhook-Signature: <base64 HMAC-SHA256 of the body>`. */
export const woocommerceSignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('base64');

/** Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256 of the body>`, keyed by the webhook secret. */
export const razorpaySignature = (secret: string, body: Buffer | string) =>
  mac('sha256', secret, body).toString('hex');

/**
 * Persona: `t=<unix>,v1=<hex HMAC-SHA256 of <t>.<body>>`; while a secret is rotated, one such
 * pair per active secret, separated by a space.
 */
export const personaSignature = (
  secrets: readonly string[],
  timestamp: number,
  body: Buffer | string,
) =>
  secrets
    .map(
      (secret) =>
        `t=${timestamp},v1=${mac('sha256', secret, `${timestamp}.`, body).toString('hex')}`,
    )
    .join(' ');

/**
 * HubSpot (v3): `X-HubSpot-Signature-v3`, base64 HMAC-SHA256, under the app's client secret, of
 * `<method><URI><body><X-HubSpot-Request-Timestamp>`, the URI as HubSpot requested it.
 */
export const hubspotSignature = (
  secret: string,
  method: string,
  uri: string,
  body: Buffer | string,
  timestamp: number | string,
) => mac('sha256', secret, method, uri, body, String(timestamp)).toString('base64');

/**
 * Box (v2 webhooks): `BOX-SIGNATURE-PRIMARY` / `-SECONDARY`, each the base64 HMAC-SHA256 of the
 * body's bytes followed by `BOX-DELIVERY-TIMESTAMP`'s, under the app's primary or secondary key.
 */
export const boxSignature = (key: string, body: Buffer | string, timestamp: string) =>
  mac('sha256', key, body, timestamp).toString('base64');

/** DocuSign Connect: `X-DocuSign-Signature-<n>`, base64 HMAC-SHA256 of the body, one per key. */
export const docusignSignature = (key: string, body: Buffer | string) =>
  mac('sha256', key, body).toString('base64');

/**
 * BigCommerce: Standard Webhooks' `webhook-signature: v1,<base64>` over `<id>.<timestamp>.<body>`,
 * keyed by the app's client secret as text (its docs hand the library the secret base64-encoded).
 */
export const bigcommerceSignature = (
  clientSecret: string,
  id: string,
  timestamp: number,
  body: Buffer | string,
) => `v1,${mac('sha256', clientSecret, `${id}.${timestamp}.`, body).toString('base64')}`;

import { z } from 'zod';
import { anyOf } from '../engine/any-of.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { type EventNaming, field, header } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';
import { isPublicKey, standardWebhooksV1aVerifier } from './standard-webhooks-v1a.ts';

/**
 * The Standard Webhooks spec (Svix, Clerk, Resend, …): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64> [v1,<base64>…]` (or the same under `svix-*`), the
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed by the base64 after `whsec_`; a `whpk_`
 * public key instead checks the spec's Ed25519 `v1a` signatures.
 */
export const standardWebhooksOptions = z
  .object({ toleranceSeconds: toleranceSeconds(300) })
  .strict();

export type StandardWebhooksOptions = z.infer<typeof standardWebhooksOptions>;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key is the base64 after the prefix; a secret that is not base64 is a configuration error. */
function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!BASE64.test(encoded)) {
    throw new Error('a standard-webhooks secret is "whsec_" followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

const ID = ['webhook-id', 'svix-id'];
const SIGNATURE = ['webhook-signature', 'svix-signature'];
const TIMESTAMP = ['webhook-timestamp', 'svix-timestamp'];

function hmacVerifier(options: StandardWebhooksOptions, naming: EventNaming, secrets: string[]) {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: {
        kind: 'list',
        names: SIGNATURE,
        entrySeparator: ' ',
        keySeparator: ',',
        signatureKey: 'v1',
      },
      signed: '{id}.{timestamp}.{body}',
      signedIdHeader: ID,
      freshness: {
        source: { from: 'header', names: TIMESTAMP },
        format: 'unix-seconds',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming,
    },
    secrets.map(standardWebhooksKey),
  );
}

export function standardWebhooksVerifier(
  options: StandardWebhooksOptions,
  secrets: readonly string[],
): Verifier {
  const naming: EventNaming = { id: [header(...ID)], type: [field('type')] };
  const publicKeys = secrets.filter(isPublicKey);
  const symmetric = secrets.filter((secret) => !isPublicKey(secret));
  const v1a = standardWebhooksV1aVerifier(
    {
      idHeaders: ID,
      signatureHeaders: SIGNATURE,
      timestampHeaders: TIMESTAMP,
      toleranceSeconds: options.toleranceSeconds,
      naming,
    },
    publicKeys,
  );
  if (symmetric.length === 0) return v1a;
  const v1 = hmacVerifier(options, naming, symmetric);
  return publicKeys.length === 0 ? v1 : anyOf([v1, v1a]);
}

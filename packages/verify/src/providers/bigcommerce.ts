import {
  bigcommerceSignature,
  hex,
  json,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field, header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * BigCommerce signs its webhooks as Standard Webhooks do: `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64>` over `<id>.<timestamp>.<body>`, keyed by the app's (or API
 * account's) client secret as text: its docs give the library the secret base64-encoded, which
 * decodes back to those bytes, so no `whsec_` secret is involved. The body is a light
 * notification (`scope`, `data.type`, `data.id`, `hash`); the signed `webhook-id` names it.
 */
const bigcommerceOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

const SIGNATURE = 'webhook-signature';
const ID = 'webhook-id';

function bigcommerceVerifier(
  options: z.infer<typeof bigcommerceOptions>,
  secrets: readonly string[],
): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: {
        kind: 'list',
        names: [SIGNATURE],
        entrySeparator: ' ',
        keySeparator: ',',
        signatureKey: 'v1',
      },
      signed: '{id}.{timestamp}.{body}',
      signedIdHeader: [ID],
      freshness: {
        source: { from: 'header', names: ['webhook-timestamp'] },
        format: 'unix-seconds',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [header(ID)], type: [field('scope')] },
    },
    utf8Keys(secrets),
  );
}

function bigcommerceSample(s: Sample): SignedSample {
  const id = s.id ?? hex(16);
  const body = JSON.stringify({
    created_at: s.seconds,
    store_id: '1025646',
    producer: 'stores/abc123',
    scope: s.type ?? 'store/order/created',
    hash: hex(20),
    data: s.data ?? { type: 'order', id: 250 },
  });
  return json(
    s,
    {
      'webhook-id': id,
      'webhook-timestamp': String(s.seconds),
      'webhook-signature': bigcommerceSignature(s.source.secret, id, s.seconds, body),
    },
    body,
  );
}

export const bigcommerce = defineProvider({
  name: 'bigcommerce',
  options: bigcommerceOptions,
  verifier: bigcommerceVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: bigcommerceSample,
  docs: {
    entry: { name: 'store', secret: 'env:BIGCOMMERCE_CLIENT_SECRET' },
    verified:
      '`webhook-signature` (Standard Webhooks): `v1,<base64>` HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>`, keyed by the client secret as text',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: 'header `webhook-id` (signed)',
    eventType: 'body `scope` (`store/order/created`, …)',
    oracle: { sdk: ['standardwebhooks'] },
  },
});

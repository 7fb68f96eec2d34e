import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, the HMAC-SHA256 of `<t>.<body>` keyed by
 * the whole `whsec_…` string. Any v1 may match (Stripe sends one per active secret).
 */
export const stripeOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type StripeOptions = z.infer<typeof stripeOptions>;

export function stripeVerifier(options: StripeOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: {
        kind: 'list',
        names: ['stripe-signature'],
        entrySeparator: ',',
        keySeparator: '=',
        signatureKey: 'v1',
        timestampKey: 't',
      },
      signed: '{timestamp}.{body}',
      freshness: {
        source: { from: 'signature-header' },
        format: 'unix-seconds',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [field('id')], type: [field('type')] },
    },
    utf8Keys(secrets),
  );
}

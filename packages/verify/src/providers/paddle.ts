import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, the HMAC-SHA256 of
 * `<ts>:<body>`. Paddle's SDKs allow 5 s; 60 s leaves room for clock skew and slow proxies
 * while the dedupe on `event_id` still catches a replay inside the window.
 */
export const paddleOptions = z.object({ toleranceSeconds: toleranceSeconds(60) }).strict();

export type PaddleOptions = z.infer<typeof paddleOptions>;

export function paddleVerifier(options: PaddleOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: {
        kind: 'list',
        names: ['paddle-signature'],
        entrySeparator: ';',
        keySeparator: '=',
        signatureKey: 'h1',
        timestampKey: 'ts',
      },
      signed: '{timestamp}:{body}',
      freshness: {
        source: { from: 'signature-header' },
        format: 'unix-seconds',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [field('event_id')], type: [field('event_type')] },
    },
    utf8Keys(secrets),
  );
}

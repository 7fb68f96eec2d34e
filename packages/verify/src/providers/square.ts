import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field } from '../naming.ts';
import type { Verifier } from '../types.ts';

/**
 * `x-square-hmacsha256-signature: <base64 HMAC-SHA256 of notification URL + body>`. The URL is
 * the one registered with Square, byte for byte, so it is configured rather than rebuilt.
 * No signed timestamp: replay defence is the dedupe on `event_id`.
 */
export const squareOptions = z
  .object({
    /** The notification URL exactly as entered in Square's developer console. */
    notificationUrl: z.url({ protocol: /^https?$/ }),
  })
  .strict();

export type SquareOptions = z.infer<typeof squareOptions>;

export function squareVerifier(options: SquareOptions, secrets: readonly string[]): Verifier {
  const { notificationUrl } = options;
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: { kind: 'single', names: ['x-square-hmacsha256-signature'], prefix: '' },
      signed: '{url}{body}',
      url: () => notificationUrl,
      naming: { id: [field('event_id')], type: [field('type')] },
      otherCredentialHeaders: ['x-square-signature'],
    },
    utf8Keys(secrets),
  );
}

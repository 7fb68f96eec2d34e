import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { bodySha256, field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * `X-Signature: <hex HMAC-SHA256 of the body>`, type in `meta.event_name`. Lemon Squeezy sends
 * no event ID and no timestamp: the body's SHA-256 stands in for the ID, so a retry (the same
 * bytes) dedupes while two updates of one object (different bytes) stay two events.
 */
export const lemonSqueezyOptions = noOptions;

export function lemonSqueezyVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: { kind: 'single', names: ['x-signature'], prefix: '' },
      signed: '{body}',
      naming: { id: [bodySha256], type: [field('meta.event_name')] },
    },
    utf8Keys(secrets),
  );
}

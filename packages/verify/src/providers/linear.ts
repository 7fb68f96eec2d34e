import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field, header } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * `Linear-Signature: <hex HMAC-SHA256 of the body>`; the send time is the body's
 * `webhookTimestamp` (unix milliseconds), within 60 s as Linear's SDK requires. The type is the
 * body's `type` (`Issue`, `Comment`, …), as the SDK routes on it; `action` stays in the payload.
 */
export const linearOptions = z.object({ toleranceSeconds: toleranceSeconds(60) }).strict();

/** Linear stamps each try of a delivery afresh, so a retry's bytes differ from the first's. */
export const LINEAR_RESTAMPED_FIELDS = ['webhookTimestamp'];

export type LinearOptions = z.infer<typeof linearOptions>;

export function linearVerifier(options: LinearOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: { kind: 'single', names: ['linear-signature'], prefix: '' },
      signed: '{body}',
      freshness: {
        source: { from: 'json', path: 'webhookTimestamp' },
        format: 'unix-ms',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [header('linear-delivery')], type: [field('type')] },
    },
    utf8Keys(secrets),
  );
}

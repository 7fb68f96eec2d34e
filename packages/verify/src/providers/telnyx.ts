import { z } from 'zod';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { ed25519PublicKey } from '../engine/public-keys.ts';
import { field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Telnyx (API v2): `telnyx-signature-ed25519`, the base64 Ed25519 signature of
 * `<telnyx-timestamp>|<body>`, checked with the account's base64 public key (the secret).
 */
export const telnyxOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type TelnyxOptions = z.infer<typeof telnyxOptions>;

export function telnyxVerifier(options: TelnyxOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ed25519',
      encoding: 'base64',
      signature: { kind: 'single', names: ['telnyx-signature-ed25519'], prefix: '' },
      signed: '{timestamp}|{body}',
      timestamp: { names: ['telnyx-timestamp'], toleranceSeconds: options.toleranceSeconds },
      naming: { id: [field('data.id')], type: [field('data.event_type')] },
    },
    secrets.map((secret) => ed25519PublicKey(secret, 'base64', 'a telnyx public key')),
  );
}

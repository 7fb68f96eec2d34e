import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { ed25519PublicKey } from '../engine/public-keys.ts';
import type { EventNaming } from '../naming.ts';
import type { ImmediateVerifier } from '../types.ts';

/**
 * Standard Webhooks' asymmetric signature: `v1a,<base64 Ed25519 signature>` entries in the same
 * `webhook-signature` header, over the same `<id>.<timestamp>.<body>`, checked with a public
 * key written `whpk_<base64>`.
 */
export const PUBLIC_KEY_PREFIX = 'whpk_';

export const isPublicKey = (secret: string) => secret.startsWith(PUBLIC_KEY_PREFIX);

export interface V1aScheme {
  readonly idHeaders: readonly string[];
  readonly signatureHeaders: readonly string[];
  readonly timestampHeaders: readonly string[];
  readonly toleranceSeconds: number;
  readonly naming: EventNaming;
}

export function standardWebhooksV1aVerifier(
  scheme: V1aScheme,
  publicKeys: readonly string[],
): ImmediateVerifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ed25519',
      encoding: 'base64',
      signature: {
        kind: 'list',
        names: scheme.signatureHeaders,
        entrySeparator: ' ',
        keySeparator: ',',
        signatureKey: 'v1a',
      },
      signed: '{id}.{timestamp}.{body}',
      signedIdHeader: scheme.idHeaders,
      timestamp: { names: scheme.timestampHeaders, toleranceSeconds: scheme.toleranceSeconds },
      naming: scheme.naming,
    },
    publicKeys.map((key) =>
      ed25519PublicKey(key.slice(PUBLIC_KEY_PREFIX.length), 'base64', 'a whpk_ public key'),
    ),
  );
}

import { utf8Keys } from '../crypto.ts';
import type { ImmediateVerifier } from '../types.ts';
import { type HmacScheme, hmacSchemeVerifier } from './scheme.ts';
import { singleHeader } from './signature-header.ts';

/** The HMAC of the raw body alone, sent in one header as `<prefix><signature>`. */
export interface BodyHmacScheme extends Omit<HmacScheme, 'signature' | 'signed'> {
  /** The header, or its spellings (Shopify's with and without `X-`). */
  readonly header: string | readonly string[];
  /** What precedes the signature (`sha256=`); none unless set. */
  readonly prefix?: string;
}

/**
 * The commonest scheme (GitHub, Shopify, Intercom, Razorpay, Linear, GoCardless, Meta, …),
 * keyed by the secrets' UTF-8 bytes.
 */
export function bodyHmacVerifier(
  { header, prefix = '', ...scheme }: BodyHmacScheme,
  secrets: readonly string[],
): ImmediateVerifier {
  return hmacSchemeVerifier(
    { ...scheme, signature: singleHeader(header, prefix), signed: '{body}' },
    utf8Keys(secrets),
  );
}

/** A provider's verifier for the scheme when none of its options changes it. */
export const bodyHmac =
  (scheme: BodyHmacScheme) =>
  (_options: unknown, secrets: readonly string[]): ImmediateVerifier =>
    bodyHmacVerifier(scheme, secrets);

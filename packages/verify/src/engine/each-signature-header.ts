import { type Headers, headerValue } from '../body.ts';
import { decodeSignature, type SignatureEncoding } from '../crypto.ts';
import { reject } from '../types.ts';
import type { SentSignatures } from './signature-header.ts';

/**
 * Signatures a sender puts in headers of their own, one per key (Box's primary and secondary,
 * DocuSign's `X-DocuSign-Signature-1…`): any of them may match. An undecodable one is skipped,
 * as one of an unknown scheme would be; only when none is usable is the request malformed.
 */
export function signaturesInEach(
  headers: Headers,
  names: readonly string[],
  encoding: SignatureEncoding,
): SentSignatures {
  const sent = names
    .map((name) => headerValue(headers, name))
    .filter((value) => value !== undefined && value !== '');
  if (sent.length === 0) return { ok: false, rejection: reject('missing_signature') };
  const signatures = sent
    .map((value) => decodeSignature(value ?? '', encoding))
    .filter((signature) => signature !== undefined);
  if (signatures.length === 0) {
    return { ok: false, rejection: reject('malformed_signature', 'no usable signature') };
  }
  return { ok: true, signatures };
}

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type HmacAlgorithm = 'sha1' | 'sha256' | 'sha512';
export type SignatureEncoding = 'hex' | 'base64';

export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, data: Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Whether `text` is the one spelling of `bytes` a sender writes (hex in a single case). */
function isCanonical(text: string, bytes: Buffer, encoding: SignatureEncoding): boolean {
  const spelled = bytes.toString(encoding);
  return encoding === 'hex' ? text === spelled || text === spelled.toUpperCase() : text === spelled;
}

/**
 * Decodes a signature as sent. Buffer.from silently drops bad characters, so the alphabet is
 * checked first: a garbled header must be told apart from a wrong secret. Only the canonical
 * spelling passes: mixed-case hex or base64 with stray low bits in its last character decode to
 * the same bytes, and a changed signature must never verify.
 */
export function decodeSignature(text: string, encoding: SignatureEncoding): Buffer | undefined {
  const valid = encoding === 'hex' ? HEX.test(text) && text.length % 2 === 0 : BASE64.test(text);
  if (!valid) return undefined;
  const bytes = Buffer.from(text, encoding);
  return isCanonical(text, bytes, encoding) ? bytes : undefined;
}

/** Constant-time: never compare signatures with === or Buffer.equals. */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Constant-time for values of any length: compares their digests instead of the values. */
export function safeEqualText(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Whether `sent` is one of `values` (a source's secrets), each compared in constant time. */
export const equalsAny = (sent: string, values: readonly string[]): boolean =>
  values.some((value) => safeEqualText(sent, value));

/**
 * Whether any signature sent is the HMAC of any candidate message under any key (several keys
 * while a secret is rotated; several messages where the sender's form is ambiguous).
 */
export function signedByAny(
  algorithm: HmacAlgorithm,
  keys: readonly Buffer[],
  messages: readonly Buffer[],
  signatures: readonly Buffer[],
): boolean {
  for (const key of keys) {
    for (const message of messages) {
      const expected = hmac(algorithm, key, message);
      if (signatures.some((signature) => safeEqual(expected, signature))) return true;
    }
  }
  return false;
}

/** Secrets used as HMAC keys byte for byte, as most providers do. */
export const utf8Keys = (secrets: readonly string[]): Buffer[] =>
  secrets.map((secret) => Buffer.from(secret, 'utf8'));

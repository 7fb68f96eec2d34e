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

/**
 * Decodes a signature as sent. Buffer.from silently drops bad characters, so the alphabet is
 * checked first: a garbled header must be told apart from a wrong secret.
 */
export function decodeSignature(text: string, encoding: SignatureEncoding): Buffer | undefined {
  const valid = encoding === 'hex' ? HEX.test(text) && text.length % 2 === 0 : BASE64.test(text);
  return valid ? Buffer.from(text, encoding) : undefined;
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

import { createPublicKey, type KeyObject, verify } from 'node:crypto';

/** The asymmetric signatures providers send: the key type each needs and how it verifies. */
export type PublicKeyAlgorithm = 'ed25519' | 'ecdsa-p256-sha256';

const ED25519_KEY_BYTES = 32;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const HEX = /^([0-9a-f]{2})+$/i;

/** A public key as configured; the message names what is wrong, never the key's value. */
function readKey(text: string, encoding: 'hex' | 'base64', what: string): Buffer {
  const pattern = encoding === 'hex' ? HEX : BASE64;
  if (!pattern.test(text)) throw new Error(`${what} is not ${encoding}`);
  return Buffer.from(text, encoding);
}

/** A raw 32-byte Ed25519 public key (Discord's hex, Telnyx's base64), imported as a JWK. */
export function ed25519PublicKey(text: string, encoding: 'hex' | 'base64', what: string) {
  const raw = readKey(text, encoding, what);
  if (raw.length !== ED25519_KEY_BYTES) {
    throw new Error(`${what} is ${raw.length} bytes; an Ed25519 public key is 32`);
  }
  return createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') },
    format: 'jwk',
  });
}

/** A base64 DER SubjectPublicKeyInfo (SendGrid's verification key) that must be P-256. */
export function p256PublicKey(text: string, what: string): KeyObject {
  const der = readKey(text, 'base64', what);
  let key: KeyObject;
  try {
    key = createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch {
    throw new Error(`${what} is not a DER public key`);
  }
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new Error(`${what} is a ${key.asymmetricKeyType} key; an ECDSA P-256 key is needed`);
  }
  return key;
}

/**
 * Whether the message is signed by any key (several while a key is rotated). A malformed
 * signature (truncated DER, wrong length) does not verify: node:crypto may throw for one.
 */
export function signedByAnyKey(
  algorithm: PublicKeyAlgorithm,
  keys: readonly KeyObject[],
  message: Buffer,
  signatures: readonly Buffer[],
): boolean {
  const digest = algorithm === 'ed25519' ? null : 'sha256';
  return keys.some((key) =>
    signatures.some((signature) => {
      try {
        return verify(digest, message, key, signature);
      } catch {
        return false;
      }
    }),
  );
}

import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';

/**
 * Key pairs published here on purpose, so that `send` can sign as a public-key provider
 * (Discord, Telnyx, SendGrid, Standard Webhooks `v1a`, Plaid) against a local inbox whose
 * source is configured with the public half. Anyone can sign with them: never configure a
 * production source with these public keys.
 */
const ED25519 = createPrivateKey({
  key: {
    kty: 'OKP',
    crv: 'Ed25519',
    x: 'qWz89dmwK-cZaliRadZBqlKjk_r6m5XcnXUrlrR580I',
    d: 'TdqI4D5te_YVAzgkejdFFvDauexrogTJlSGhUHFp478',
  },
  format: 'jwk',
});

const P256 = createPrivateKey({
  key: {
    kty: 'EC',
    crv: 'P-256',
    x: 'Sgwgpq79P_ebUeoFmR87Q-Kun6dJBPFF0rL_F9ql9VI',
    y: '_NyZ5rK99qEN4W0soscF7krkc-XTcoNos4DwkavHyUM',
    d: '5F52QuduCx5coeYnVJDB3rUuHWb2nNE7KsJICiXRbws',
  },
  format: 'jwk',
});

/** The 32 raw bytes of an Ed25519 public key. */
export const rawEd25519 = (key: KeyObject): Buffer =>
  Buffer.from(createPublicKey(key).export({ format: 'jwk' }).x ?? '', 'base64url');

/** A P-256 public key as SendGrid shows it: base64 DER SubjectPublicKeyInfo. */
export const spkiBase64 = (key: KeyObject): string =>
  createPublicKey(key).export({ format: 'der', type: 'spki' }).toString('base64');

export interface SampleKey {
  readonly privateKey: KeyObject;
  /** The public half as the provider's source is configured with it. */
  readonly configured: string;
}

/** Each public-key provider's sample key pair, its public half written as that provider does. */
export const SAMPLE_KEYS = {
  discord: { privateKey: ED25519, configured: rawEd25519(ED25519).toString('hex') },
  telnyx: { privateKey: ED25519, configured: rawEd25519(ED25519).toString('base64') },
  'standard-webhooks': {
    privateKey: ED25519,
    configured: `whpk_${rawEd25519(ED25519).toString('base64')}`,
  },
  sendgrid: { privateKey: P256, configured: spkiBase64(P256) },
} as const satisfies Record<string, SampleKey>;

/** A sample cannot be signed as asked; the message says what to do instead. */
export class CannotSign extends Error {}

/** The private key for a source configured with `configured`, which must be the sample's. */
export function sampleKey(provider: keyof typeof SAMPLE_KEYS, configured: string): KeyObject {
  const sample = SAMPLE_KEYS[provider];
  if (configured !== sample.configured) {
    throw new CannotSign(
      `send signs ${provider} samples with the published sample key only, and only ${provider} holds the private half of the source's key: to try it locally, configure a source with the sample public key ${sample.configured}`,
    );
  }
  return sample.privateKey;
}

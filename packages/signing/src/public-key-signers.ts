import { type KeyObject, sign } from 'node:crypto';

/**
 * How the public-key providers sign, from their documentation (like `signers.ts`, nothing here
 * imports the verifier): the private key is the sender's, so tests make their own pairs.
 */
const bytes = (...parts: (string | Buffer)[]) => Buffer.concat(parts.map((p) => Buffer.from(p)));

/** Discord: hex Ed25519 signature of `<timestamp><body>`. */
export const discordSignature = (key: KeyObject, timestamp: string, body: Buffer | string) =>
  sign(null, bytes(timestamp, body), key).toString('hex');

/** Telnyx: base64 Ed25519 signature of `<timestamp>|<body>`. */
export const telnyxSignature = (key: KeyObject, timestamp: string, body: Buffer | string) =>
  sign(null, bytes(timestamp, '|', body), key).toString('base64');

/** SendGrid: base64 DER ECDSA P-256 (SHA-256) signature of `<timestamp><body>`. */
export const sendgridSignature = (key: KeyObject, timestamp: string, body: Buffer | string) =>
  sign('sha256', bytes(timestamp, body), key).toString('base64');

/** Standard Webhooks `v1a`: base64 Ed25519 signature of `<id>.<timestamp>.<body>`. */
export const standardWebhooksV1aSignature = (
  key: KeyObject,
  id: string,
  timestamp: number,
  body: Buffer | string,
) => `v1a,${sign(null, bytes(`${id}.${timestamp}.`, body), key).toString('base64')}`;

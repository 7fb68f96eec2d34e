import { mac } from './signers.ts';

/**
 * How the providers that answer a handshake sign, from their documentation and independently
 * of the verifiers, as in `signers.ts`.
 */

/** Zoom: `v0=<hex HMAC-SHA256 of v0:<timestamp>:<body>>`. */
export const zoomSignature = (secret: string, timestamp: number | string, body: Buffer | string) =>
  `v0=${mac('sha256', secret, `v0:${timestamp}:`, body).toString('hex')}`;

/** What Zoom expects back for an `endpoint.url_validation`'s plain token. */
export const zoomEncryptedToken = (secret: string, plainToken: string) =>
  mac('sha256', secret, plainToken).toString('hex');

/** Twitch EventSub: `sha256=<hex HMAC-SHA256 of message ID + timestamp + body>`. */
export const twitchSignature = (
  secret: string,
  messageId: string,
  timestamp: string,
  body: Buffer | string,
) => `sha256=${mac('sha256', secret, messageId, timestamp, body).toString('hex')}`;

/** Meta: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` with the app secret. */
export const metaSignature = (appSecret: string, body: Buffer | string) =>
  `sha256=${mac('sha256', appSecret, body).toString('hex')}`;

/** Dropbox: `X-Dropbox-Signature: <hex HMAC-SHA256 of the body>` with the app secret. */
export const dropboxSignature = (appSecret: string, body: Buffer | string) =>
  mac('sha256', appSecret, body).toString('hex');

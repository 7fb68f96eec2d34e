import { metaSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { safeEqualText } from '../crypto.ts';
import { bodyHmacVerifier } from '../engine/body-hmac.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { queryOf, singleParam } from '../query.ts';
import {
  type HandshakeVerification,
  type IncomingWebhook,
  reject,
  respond,
  type Verifier,
} from '../types.ts';
import { arrayAt, envelopeField, itemSha256 } from './batch-shapes.ts';

/**
 * Meta (WhatsApp Business, Instagram, Messenger): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256
 * of the body>` keyed by the app secret. A new callback URL is checked with
 * `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`, answered with the challenge
 * when the verify token is the one entered in Meta's dashboard.
 */
export const metaOptions = z
  .object({
    /**
     * The verify token entered beside the callback URL: not the app secret (it travels in a
     * URL), and all it unlocks is the echo of a challenge.
     */
    verifyToken: z.string().min(1),
  })
  .strict();

export type MetaOptions = z.infer<typeof metaOptions>;

function subscribeCheck(verifyToken: string, request: IncomingWebhook): HandshakeVerification {
  const query = queryOf(request.url);
  const sent = singleParam(query, 'hub.verify_token');
  const challenge = singleParam(query, 'hub.challenge');
  if (singleParam(query, 'hub.mode') !== 'subscribe' || challenge === undefined) {
    return reject('malformed_body', 'expected hub.mode=subscribe with a hub.challenge');
  }
  if (sent === undefined) return reject('missing_signature');
  // Constant-time: never ===.
  return safeEqualText(sent, verifyToken) ? respond(challenge) : reject('wrong_verify_token');
}

export function metaVerifier(options: MetaOptions, secrets: readonly string[]): Verifier {
  const verifier = bodyHmacVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'x-hub-signature-256',
      prefix: 'sha256=',
      // The request as a whole is never stored: its batch rules name each entry.
      naming: { id: [bodySha256], type: [field('object')] },
    },
    secrets,
  );
  return { ...verifier, handshake: (request) => subscribeCheck(options.verifyToken, request) };
}

export const meta = defineProvider({
  name: 'meta',
  options: metaOptions,
  verifier: metaVerifier,
  credentialHeaders: ['x-hub-signature-256'],
  signedTimestamp: false,
  batch: {
    split: arrayAt('entry'),
    // An entry carries no ID of its own (its `id` is the page's or account's) and Meta resends
    // a failed delivery whole, byte for byte: the entry's digest names it across resends.
    eventId: itemSha256,
    eventType: envelopeField('object'),
    whenEmpty: 'acked',
    docs: {
      item: "each `entry[]` element (one object's `changes[]` or `messaging[]`), `object` in the envelope",
      empty: 'acked, nothing stored',
    },
  },
  handshake: {
    description:
      '`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`: the challenge, as text, when the token is `verifyToken`; else 403',
  },
  sample: metaSample,
  requiredOptions: { verifyToken: 'a-verify-token' },
  docs: {
    senders: 'WhatsApp, Instagram, Messenger',
    entry: {
      name: 'whatsapp',
      secret: 'env:META_APP_SECRET',
      options: { verifyToken: '…' },
    },
    verified: '`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>` (app secret)',
    replayWindow: 'none (no signed timestamp)',
    eventId: "each entry's SHA-256 (entries carry no ID)",
    eventType: 'body `object`',
    oracle: { documented: 'receiver code' },
  },
});

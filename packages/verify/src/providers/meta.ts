import { metaSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { safeEqualText, utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
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
  const verifier = hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: { kind: 'single', names: ['x-hub-signature-256'], prefix: 'sha256=' },
      signed: '{body}',
      // One body carries `entry[].changes[]` (or `messaging[]`) with no ID of the delivery's:
      // stored whole, named by the digest of its signed bytes, so a resend dedupes.
      naming: { id: [bodySha256], type: [field('object')] },
    },
    utf8Keys(secrets),
  );
  return { ...verifier, handshake: (request) => subscribeCheck(options.verifyToken, request) };
}

export const meta = defineProvider({
  name: 'meta',
  options: metaOptions,
  verifier: metaVerifier,
  credentialHeaders: ['x-hub-signature-256'],
  signedTimestamp: false,
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
    eventId: "the body's SHA-256 (one row for the whole `entry[]`)",
    eventType: 'body `object`',
  },
});

import { dropboxSample } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { bodyHmacVerifier } from '../engine/body-hmac.ts';
import { bodySha256, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { queryOf, singleParam } from '../query.ts';
import {
  type HandshakeVerification,
  type IncomingWebhook,
  reject,
  respond,
  type Verifier,
} from '../types.ts';
import { noOptions } from './options.ts';

/**
 * Dropbox: `X-Dropbox-Signature: <hex HMAC-SHA256 of the body>` keyed by the app secret. A new
 * webhook URL is checked with `GET ?challenge=…`, which must come back as the whole body.
 */
export const dropboxOptions = noOptions;

export type DropboxOptions = z.infer<typeof dropboxOptions>;

/** Unsigned, and safe so: the answer only repeats what was sent, and nothing is stored. */
function challengeEcho(request: IncomingWebhook): HandshakeVerification {
  const challenge = singleParam(queryOf(request.url), 'challenge');
  return challenge === undefined
    ? reject('malformed_body', 'expected a challenge parameter')
    : respond(challenge);
}

export function dropboxVerifier(_options: DropboxOptions, secrets: readonly string[]): Verifier {
  const verifier = bodyHmacVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      header: 'x-dropbox-signature',
      // A notification only lists the accounts with changes (`list_folder.accounts`): no ID,
      // one kind. The digest of its signed bytes names it.
      naming: { id: [bodySha256], type: [fixed('list_folder')] },
    },
    secrets,
  );
  return { ...verifier, handshake: challengeEcho };
}

export const dropbox = defineProvider({
  name: 'dropbox',
  options: dropboxOptions,
  verifier: dropboxVerifier,
  credentialHeaders: ['x-dropbox-signature'],
  signedTimestamp: false,
  handshake: { description: '`GET ?challenge=…`: the challenge, as text' },
  sample: dropboxSample,
  docs: {
    entry: { name: 'dropbox', secret: 'env:DROPBOX_APP_SECRET' },
    verified: '`X-Dropbox-Signature: <hex HMAC-SHA256 of the body>` (app secret)',
    replayWindow: 'none (no timestamp)',
    eventId: "the body's SHA-256",
    eventType: '`list_folder`',
    oracle: { documented: 'receiver code' },
  },
});

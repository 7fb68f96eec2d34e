import {
  hex,
  json,
  mailgunSignature,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue, type JsonObject, parseEventBody, readPath } from '../body.ts';
import { decodeSignature, sha256Hex, utf8Keys } from '../crypto.ts';
import { field, nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import {
  accept,
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';
import { isMailgunFormType, verifyMailgunForm } from './mailgun-form.ts';
import { checkMailgunToken } from './mailgun-signature.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Mailgun puts its signature in the JSON body: `signature.signature` is the hex HMAC-SHA256 of
 * `signature.timestamp` + `signature.token` under the webhook signing key (`parent-signature`
 * under the parent account's, for a subaccount's domain). The rest of the body is not covered,
 * so a captured token could carry another body while its timestamp is fresh: the event is
 * therefore also keyed on the token, and a second use of it is a duplicate.
 */
const mailgunOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

const NAMING = { id: [field('event-data.id')], type: [field('event-data.event')] };

/** Every signature sent, decoded; an undecodable one is as good as absent. */
function sentSignatures(signature: JsonObject): Buffer[] {
  return [signature.signature, signature['parent-signature']]
    .map((value) => (typeof value === 'string' ? decodeSignature(value, 'hex') : undefined))
    .filter((value) => value !== undefined);
}

function verifyMailgun(
  request: IncomingWebhook,
  keys: readonly Buffer[],
  tolerance: number,
): Verification {
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  const { signature, ...stored } = body.json;
  if (signature === null || typeof signature !== 'object' || Array.isArray(signature)) {
    return reject('missing_signature');
  }
  const fields = signature as JsonObject;
  const sent = {
    timestamp: readPath(fields, 'timestamp'),
    token: readPath(fields, 'token'),
    signatures: sentSignatures(fields),
  };
  const checked = checkMailgunToken(sent, keys, request.now, tolerance);
  if ('kind' in checked) return checked;

  // The signature is left out of what is stored: it would only help a replay.
  const named = nameEvent(NAMING, { ...request, json: stored }, JSON.stringify(stored));
  if (named.kind !== 'event') return named;
  return accept({ ...named.event, signedContentSha256: sha256Hex(checked.message) });
}

function mailgunVerifier(
  options: z.infer<typeof mailgunOptions>,
  secrets: readonly string[],
): Verifier {
  const keys = utf8Keys(secrets);
  return {
    credentialHeaders: [],
    acceptsContentType: (type) => isJsonContentType(type) || isMailgunFormType(type),
    verify: (request) =>
      isMailgunFormType(headerValue(request.headers, 'content-type') ?? '')
        ? verifyMailgunForm(request, keys, options.toleranceSeconds)
        : verifyMailgun(request, keys, options.toleranceSeconds),
  };
}

function mailgunSample(s: Sample): SignedSample {
  const timestamp = String(s.seconds);
  const token = hex(25);
  const body = JSON.stringify({
    signature: {
      timestamp,
      token,
      signature: mailgunSignature(s.source.secret, timestamp, token),
    },
    'event-data': {
      id: s.id ?? hex(11),
      event: s.type ?? 'delivered',
      timestamp: s.at.getTime() / 1000,
      recipient: 'alice@example.com',
      message: { headers: { 'message-id': `${hex(8)}@mg.example.com` } },
      'user-variables': s.data ?? {},
    },
  });
  return json(s, {}, body);
}

export const mailgun = defineProvider({
  name: 'mailgun',
  options: mailgunOptions,
  verifier: mailgunVerifier,
  credentialHeaders: [],
  signedTimestamp: true,
  sample: mailgunSample,
  docs: {
    entry: { name: 'mailgun', secret: 'env:MAILGUN_WEBHOOK_SIGNING_KEY' },
    verified:
      'body `signature`: hex HMAC-SHA256 of `<timestamp><token>` (webhook signing key); legacy webhooks and routes post it as form fields (urlencoded or multipart); the rest of the body is not covered, and the signature is not stored',
    replayWindow: '±300 s (`toleranceSeconds`); a token used twice is a duplicate',
    eventId: 'body `event-data.id`; a form post: the SHA-256 of its signed `<timestamp><token>`',
    eventType:
      'body `event-data.event` (`delivered`, `failed`, …); a form post: its `event`, else `inbound`',
    oracle: { documented: 'receiver code' },
  },
});

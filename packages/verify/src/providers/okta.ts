import { oktaSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue } from '../body.ts';
import { equalsAny } from '../crypto.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import {
  type HandshakeVerification,
  type IncomingWebhook,
  reject,
  respond,
  type Verifier,
} from '../types.ts';
import { arrayAt, itemField } from './batch-shapes.ts';
import { oneOf, sharedSecretVerifier } from './shared-secret.ts';

/**
 * Okta event hooks: the secret is sent as is in the header configured on the hook
 * (`Authorization` by default). A new hook is checked with a GET carrying
 * `X-Okta-Verification-Challenge`, answered with `{"verification": <the challenge>}`.
 */
export const oktaOptions = z
  .object({ header: z.string().min(1).default('authorization') })
  .strict();

export type OktaOptions = z.infer<typeof oktaOptions>;

const CHALLENGE = 'x-okta-verification-challenge';

/**
 * The check is answered whether or not the hook's header is sent with it: the answer only
 * repeats the challenge, and nothing is stored. A header that is sent must be right.
 */
function verificationAnswer(
  header: string,
  matches: (sent: string) => boolean,
  request: IncomingWebhook,
): HandshakeVerification {
  const challenge = headerValue(request.headers, CHALLENGE);
  if (challenge === undefined || challenge === '') {
    return reject('malformed_body', `expected an ${CHALLENGE} header`);
  }
  const sent = headerValue(request.headers, header);
  if (sent !== undefined && !matches(sent)) return reject('no_matching_secret');
  return respond({ verification: challenge });
}

export function oktaVerifier(options: OktaOptions, secrets: readonly string[]): Verifier {
  const header = options.header.toLowerCase();
  const matches = (sent: string) => equalsAny(sent, secrets);
  const verifier = sharedSecretVerifier({
    header,
    check: oneOf(secrets),
    // The request as a whole is never stored: its batch rules name each of data.events[].
    naming: { id: [bodySha256], type: [field('eventType')] },
  });
  return { ...verifier, handshake: (request) => verificationAnswer(header, matches, request) };
}

export const okta = defineProvider({
  name: 'okta',
  options: oktaOptions,
  verifier: oktaVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  batch: {
    split: arrayAt('data.events'),
    // The top-level eventId is the delivery's, new on each retry; each event's uuid is its own.
    eventId: itemField('uuid'),
    eventType: itemField('eventType'),
    whenEmpty: 'acked',
    docs: {
      item: 'each `data.events[]` element; the top level (`eventId`, `eventTime`, …) in the envelope',
      empty: 'acked, nothing stored',
    },
  },
  handshake: {
    description: '`GET` with `X-Okta-Verification-Challenge`: `{"verification": …}`',
  },
  sample: oktaSample,
  docs: {
    entry: { name: 'okta', secret: 'env:OKTA_HOOK_SECRET' },
    verified:
      '`Authorization: <secret>` as configured on the event hook (header configurable); the body is not covered',
    replayWindow: 'none',
    eventId: 'each `data.events[].uuid`',
    eventType: 'each `data.events[].eventType`',
    oracle: 'none',
  },
});

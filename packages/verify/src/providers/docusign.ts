import { randomUUID } from 'node:crypto';
import { docusignSignature, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { parseEventBody } from '../body.ts';
import { signedByAny, utf8Keys } from '../crypto.ts';
import { signaturesInEach } from '../engine/each-signature-header.ts';
import { type EventNaming, field, joined, nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { type IncomingWebhook, isJsonContentType, reject, type Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * DocuSign Connect with HMAC security: `X-DocuSign-Signature-1`, `-2`, … one per active
 * Connect key (up to 100), each the base64 HMAC-SHA256 of the whole body; any may match. The
 * JSON SIM message has no event ID, so one is made of what identifies it: the envelope, the
 * `event`, the recipient for a recipient event, and `generatedDateTime`. `retryCount` is
 * re-stamped on every retry. There is no timestamp to bound a replay: the dedupe catches it.
 */
const MAX_KEYS = 100;
const SIGNATURES = Array.from({ length: MAX_KEYS }, (_, n) => `x-docusign-signature-${n + 1}`);

const NAMING: EventNaming = {
  id: [
    joined(
      ':',
      field('data.envelopeId'),
      field('event'),
      field('data.recipientId'),
      field('generatedDateTime'),
    ),
    joined(':', field('data.envelopeId'), field('event'), field('generatedDateTime')),
    joined(':', field('event'), field('generatedDateTime')),
  ],
  type: [field('event')],
};

function verifyDocusign(request: IncomingWebhook, keys: readonly Buffer[]) {
  const sent = signaturesInEach(request.headers, SIGNATURES, 'base64');
  if (!sent.ok) return sent.rejection;
  if (!signedByAny('sha256', keys, [request.rawBody], sent.signatures)) {
    return reject('no_matching_secret');
  }
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  return nameEvent(NAMING, { ...request, json: body.json }, body.text);
}

function docusignVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  const keys = utf8Keys(secrets);
  return {
    credentialHeaders: SIGNATURES,
    acceptsContentType: isJsonContentType,
    verify: (request) => verifyDocusign(request, keys),
  };
}

/** As Connect writes it: seven fractional digits. */
const generatedAt = (at: Date) =>
  `${at.toISOString().slice(0, 19)}.${String(at.getMilliseconds()).padStart(3, '0')}0000Z`;

function docusignSample(s: Sample): SignedSample {
  const accountId = '8a6f4b2e-0000-4000-8000-000000000001';
  const envelopeId = s.id ?? randomUUID();
  const body = JSON.stringify({
    event: s.type ?? 'envelope-completed',
    apiVersion: 'v2.1',
    uri: `/restapi/v2.1/accounts/${accountId}/envelopes/${envelopeId}`,
    retryCount: 0,
    configurationId: 10418452,
    generatedDateTime: generatedAt(s.at),
    data: { accountId, userId: '5c1a9e3d-0000-4000-8000-000000000002', envelopeId, ...s.data },
  });
  return json(
    s,
    {
      'X-Authorization-Digest': 'HMACSHA256',
      'X-DocuSign-Signature-1': docusignSignature(s.source.secret, body),
    },
    body,
  );
}

export const docusign = defineProvider({
  name: 'docusign',
  options: noOptions,
  verifier: docusignVerifier,
  credentialHeaders: SIGNATURES,
  signedTimestamp: false,
  restampedFields: ['retryCount'],
  sample: docusignSample,
  docs: {
    entry: { name: 'docusign', secrets: ['env:DOCUSIGN_CONNECT_KEY', 'env:DOCUSIGN_OLD_KEY?'] },
    verified:
      '`X-DocuSign-Signature-1…100` (one per Connect key): base64 HMAC-SHA256 of the body; JSON SIM messages',
    replayWindow: 'none (no timestamp); `retryCount` is re-stamped on retries',
    eventId:
      'body `data.envelopeId` : `event` : `data.recipientId` (recipient events) : `generatedDateTime`',
    eventType: 'body `event` (`envelope-completed`, `recipient-signed`, …)',
    oracle: { documented: 'receiver code' },
  },
});

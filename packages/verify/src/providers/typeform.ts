import {
  hex,
  json,
  type Sample,
  type SignedSample,
  typeformSignature,
} from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>`, keyed by the secret
 * set on the webhook. The body's `event_id` and `event_type` (`form_response`) are signed with
 * it; no timestamp is.
 */
const SIGNATURE = 'typeform-signature';

const typeformVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'base64',
  header: SIGNATURE,
  prefix: 'sha256=',
  naming: { id: [field('event_id')], type: [field('event_type')] },
});

function typeformSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    event_id: s.id ?? hex(13).toUpperCase(),
    event_type: s.type ?? 'form_response',
    form_response: s.data ?? {
      form_id: 'SAMPLE01',
      token: hex(16),
      submitted_at: s.at.toISOString(),
      answers: [{ type: 'text', text: 'Sample answer', field: { id: 'q1', type: 'short_text' } }],
    },
  });
  return json(s, { 'Typeform-Signature': typeformSignature(s.source.secret, body) }, body);
}

export const typeform = defineProvider({
  name: 'typeform',
  options: noOptions,
  verifier: typeformVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: typeformSample,
  docs: {
    entry: { name: 'typeform', secret: 'env:TYPEFORM_WEBHOOK_SECRET' },
    verified: '`Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>`',
    replayWindow: 'none (no timestamp)',
    eventId: 'body `event_id`',
    eventType: 'body `event_type` (`form_response`)',
    oracle: { documented: 'receiver code' },
  },
});

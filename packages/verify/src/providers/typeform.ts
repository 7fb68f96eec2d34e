import {
  hex,
  json,
  type Sample,
  type SignedSample,
  typeformSignature,
} from '@webhook-inbox/signing';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { noOptions } from './options.ts';

/**
 * Typeform: `Typeform-Signature: sha256=<base64 HMAC-SHA256 of the body>`, keyed by the secret
 * set on the webhook. The body's `event_id` and `event_type` (`form_response`) are signed with
 * it; no timestamp is.
 */
const SIGNATURE = 'typeform-signature';

function typeformVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: { kind: 'single', names: [SIGNATURE], prefix: 'sha256=' },
      signed: '{body}',
      naming: { id: [field('event_id')], type: [field('event_type')] },
    },
    utf8Keys(secrets),
  );
}

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

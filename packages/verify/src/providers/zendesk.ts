import { randomUUID } from 'node:crypto';
import { json, type Sample, type SignedSample, zendeskSignature } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { bodySha256, field, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Zendesk: `X-Zendesk-Webhook-Signature`, the base64 HMAC-SHA256 of `<timestamp><body>` (no
 * separator), the timestamp an ISO 8601 time in `X-Zendesk-Webhook-Signature-Timestamp`. The
 * secret is the webhook's signing secret as shown, used as text. Event webhooks carry `id` and
 * `type` (`zen:event-type:…`); a trigger's or automation's body is whatever JSON the trigger
 * was given, so it is named by its SHA-256 and typed `trigger` unless it has a `type`.
 */
const zendeskOptions = replayWindowOptions(300);

const SIGNATURE = 'x-zendesk-webhook-signature';
const TIMESTAMP = 'x-zendesk-webhook-signature-timestamp';

function zendeskVerifier(
  options: z.infer<typeof zendeskOptions>,
  secrets: readonly string[],
): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: singleHeader(SIGNATURE),
      signed: '{timestamp}{body}',
      freshness: headerTimestamp(TIMESTAMP, 'iso8601', options.toleranceSeconds),
      naming: { id: [field('id'), bodySha256], type: [field('type'), fixed('trigger')] },
    },
    utf8Keys(secrets),
  );
}

function zendeskSample(s: Sample): SignedSample {
  // Zendesk writes the time to the second.
  const timestamp = `${s.at.toISOString().slice(0, 19)}Z`;
  const body = JSON.stringify({
    type: s.type ?? 'zen:event-type:user.created',
    account_id: 12514403,
    id: s.id ?? randomUUID(),
    time: timestamp,
    zendesk_event_version: '2022-06-20',
    subject: 'zen:user:6596848315901',
    detail: s.data ?? { id: '6596848315901', role: 'end-user', email: 'user@example.com' },
    event: {},
  });
  return json(
    s,
    {
      'X-Zendesk-Webhook-Id': '01GK8E6BKWMJZD2T8Y5AXJQMG5',
      'X-Zendesk-Webhook-Signature-Timestamp': timestamp,
      'X-Zendesk-Webhook-Signature': zendeskSignature(s.source.secret, timestamp, body),
    },
    body,
  );
}

export const zendesk = defineProvider({
  name: 'zendesk',
  options: zendeskOptions,
  verifier: zendeskVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: zendeskSample,
  docs: {
    entry: { name: 'zendesk', secret: 'env:ZENDESK_WEBHOOK_SECRET' },
    verified:
      '`X-Zendesk-Webhook-Signature`: base64 HMAC-SHA256 of `<X-Zendesk-Webhook-Signature-Timestamp><body>`',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: "body `id`, else the body's SHA-256 (trigger webhooks)",
    eventType: 'body `type` (`zen:event-type:…`), else `trigger`',
    oracle: { documented: 'receiver code' },
  },
});

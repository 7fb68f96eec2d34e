import { randomUUID } from 'node:crypto';
import { basicAuthorization, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { bodySha256, field, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { basicAuthCheck } from './basic-auth.ts';
import { noOptions } from './options.ts';
import { sharedSecretVerifier } from './shared-secret.ts';

/**
 * Postmark signs nothing: a webhook URL carries HTTP credentials
 * (`https://user:password@host/webhooks/postmark`), which arrive as `Authorization: Basic …`;
 * each secret is a `user:password` string. No event carries an ID of its own, and one message
 * has many opens and clicks under the same `MessageID` and `RecordType`, so the body's SHA-256
 * names the event: a retry resends the same bytes, and two opens differ in `ReceivedAt`.
 */
function postmarkVerifier(_options: unknown, secrets: readonly string[]): Verifier {
  return sharedSecretVerifier({
    header: 'authorization',
    check: basicAuthCheck('postmark', secrets),
    // Inbound messages carry no RecordType.
    naming: { id: [bodySha256], type: [field('RecordType'), fixed('Inbound')] },
  });
}

function postmarkSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    RecordType: s.type ?? 'Delivery',
    ServerID: 23,
    MessageStream: 'outbound',
    MessageID: s.id ?? randomUUID(),
    Recipient: 'john@example.com',
    Tag: 'welcome-email',
    DeliveredAt: s.at.toISOString(),
    Details: 'Test delivery webhook details',
    Metadata: s.data ?? { example: 'value' },
  });
  return json(s, { Authorization: basicAuthorization(s.source.secret) }, body);
}

export const postmark = defineProvider({
  name: 'postmark',
  options: noOptions,
  verifier: postmarkVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  sample: postmarkSample,
  sampleSecret: 'postmark:a-long-password',
  docs: {
    entry: { name: 'postmark', secret: 'env:POSTMARK_WEBHOOK_USER_PASSWORD' },
    verified:
      '`Authorization: Basic …` (credentials in the webhook URL) against `user:password` secrets; the body is not covered',
    replayWindow: 'none',
    eventId: "the body's SHA-256",
    eventType: 'body `RecordType` (`Delivery`, `Bounce`, `Open`, …), else `Inbound`',
    oracle: { documented: 'test vector' },
  },
});

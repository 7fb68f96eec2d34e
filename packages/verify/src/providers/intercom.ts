import {
  hex,
  intercomSignature,
  json,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Intercom: `X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>`, keyed by the app's client
 * secret. A notification's `id` and `topic` are signed with it; no timestamp is. Intercom counts
 * `delivery_attempts` up on each retry, so a retry's bytes differ from the first try's.
 */
const SIGNATURE = 'x-hub-signature';

const intercomVerifier = bodyHmac({
  algorithm: 'sha1',
  encoding: 'hex',
  header: SIGNATURE,
  prefix: 'sha1=',
  naming: { id: [field('id')], type: [field('topic')] },
});

function intercomSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    type: 'notification_event',
    app_id: 'sampleapp',
    id: s.id ?? `notif_${hex(16)}`,
    topic: s.type ?? 'contact.user.created',
    data: { type: 'notification_event_data', item: s.data ?? { type: 'contact', id: hex(12) } },
    delivery_attempts: 1,
    first_sent_at: s.seconds,
    created_at: s.seconds,
  });
  return json(s, { 'X-Hub-Signature': intercomSignature(s.source.secret, body) }, body);
}

export const intercom = defineProvider({
  name: 'intercom',
  options: noOptions,
  verifier: intercomVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  restampedFields: ['delivery_attempts'],
  sample: intercomSample,
  docs: {
    entry: { name: 'intercom', secret: 'env:INTERCOM_CLIENT_SECRET' },
    verified: '`X-Hub-Signature: sha1=<hex HMAC-SHA1 of the body>` (client secret)',
    replayWindow: 'none (no timestamp)',
    eventId: 'body `id` (`notif_…`)',
    eventType: 'body `topic` (`conversation.user.created`, …)',
    oracle: { documented: 'receiver code' },
  },
});

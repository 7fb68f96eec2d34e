import {
  calendlySignature,
  hex,
  json,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Calendly: `Calendly-Webhook-Signature: t=<unix>,v1=<hex>`, the HMAC-SHA256 of `<t>.<body>`
 * keyed by the subscription's signing key; Calendly suggests refusing one older than 3 minutes.
 * Its bodies carry no event ID, and the timestamp is in the header, so a retry's body is the
 * same bytes: the body's SHA-256 names the event.
 */
const calendlyOptions = replayWindowOptions(180);

const SIGNATURE = 'calendly-webhook-signature';

const calendlyVerifier = timestampedListVerifier({
  header: SIGNATURE,
  naming: { id: [bodySha256], type: [field('event')] },
});

function calendlySample(s: Sample): SignedSample {
  const invitee = hex(8).toUpperCase();
  const body = JSON.stringify({
    created_at: s.at.toISOString(),
    created_by: 'https://api.calendly.com/users/SAMPLEUSER',
    event: s.type ?? 'invitee.created',
    // Calendly's event ID is the body's digest: the sample's ID goes in the payload.
    payload: s.data ?? {
      uri: `https://api.calendly.com/scheduled_events/SAMPLE/invitees/${s.id ?? invitee}`,
      email: 'invitee@example.com',
      status: 'active',
    },
  });
  const signature = calendlySignature(s.source.secret, s.seconds, body);
  return json(s, { 'Calendly-Webhook-Signature': signature }, body);
}

export const calendly = defineProvider({
  name: 'calendly',
  options: calendlyOptions,
  verifier: calendlyVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: calendlySample,
  docs: {
    entry: { name: 'calendly', secret: 'env:CALENDLY_SIGNING_KEY' },
    verified: '`Calendly-Webhook-Signature: t=…,v1=…`: hex HMAC-SHA256 of `<t>.<body>`',
    replayWindow: '±180 s (`toleranceSeconds`)',
    eventId: "the body's SHA-256",
    eventType: 'body `event`',
    oracle: { documented: 'receiver code' },
  },
});

import {
  hex,
  SAMPLE_KEYS,
  type Sample,
  type SignedSample,
  sampleKey,
  sendgridSignature,
  timestampedJson,
} from '@webhook-inbox/signing';
import type { z } from 'zod';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { p256PublicKey } from '../engine/public-keys.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { bodySha256, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { arrayBody, itemField, readArrayBody } from './batch-shapes.ts';
import { replayWindowOptions } from './options.ts';

/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature`, the base64 DER
 * ECDSA P-256 signature (SHA-256) of `<X-Twilio-Email-Event-Webhook-Timestamp><body>`, checked
 * with the base64 DER verification key SendGrid shows (the secret).
 */
const sendgridOptions = replayWindowOptions(300);

type SendgridOptions = z.infer<typeof sendgridOptions>;

const SIGNATURE = 'x-twilio-email-event-webhook-signature';

function sendgridVerifier(options: SendgridOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ecdsa-p256-sha256',
      encoding: 'base64',
      signature: singleHeader(SIGNATURE),
      signed: '{timestamp}{body}',
      timestamp: {
        names: ['x-twilio-email-event-webhook-timestamp'],
        toleranceSeconds: options.toleranceSeconds,
      },
      // The request as a whole is never stored: its batch rules name each event.
      naming: { id: [bodySha256], type: [fixed('batch')] },
      // A JSON array of events: verified whole, then stored one row per event.
      readBody: readArrayBody,
    },
    secrets.map((secret) => p256PublicKey(secret, 'a sendgrid verification key')),
  );
}

/** A batch of one event, as SendGrid posts even a single one. */
function sendgridSample(s: Sample): SignedSample {
  const key = sampleKey('sendgrid', s.source.secret);
  const body = JSON.stringify([
    {
      email: 'someone@example.com',
      timestamp: s.seconds,
      event: s.type ?? 'delivered',
      sg_event_id: s.id ?? hex(11),
      sg_message_id: `${hex(8)}.filter0001`,
      ...s.data,
    },
  ]);
  return timestampedJson(
    s,
    {
      signature: 'X-Twilio-Email-Event-Webhook-Signature',
      timestamp: 'X-Twilio-Email-Event-Webhook-Timestamp',
    },
    body,
    (timestamp) => sendgridSignature(key, timestamp, body),
  );
}

export const sendgrid = defineProvider({
  name: 'sendgrid',
  options: sendgridOptions,
  verifier: sendgridVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  batch: {
    split: arrayBody,
    eventId: itemField('sg_event_id'),
    eventType: itemField('event'),
    whenEmpty: 'acked',
    docs: {
      item: 'each element of the array',
      empty: 'acked, nothing stored (SendGrid never sends one; a signed empty array is harmless)',
    },
  },
  sample: sendgridSample,
  sampleSecret: SAMPLE_KEYS.sendgrid.configured,
  docs: {
    entry: { name: 'sendgrid', secret: '<verification key, base64>' },
    verified:
      '`X-Twilio-Email-Event-Webhook-Signature`: base64 DER ECDSA P-256 (SHA-256) signature of `<X-Twilio-Email-Event-Webhook-Timestamp><body>`; the body must be a JSON array',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: "each event's `sg_event_id`",
    eventType: "each event's `event`",
    oracle: { sdk: ['@sendgrid/eventwebhook'] },
  },
});

import { randomUUID } from 'node:crypto';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import {
  discordSignature,
  sendgridSignature,
  standardWebhooksV1aSignature,
  telnyxSignature,
} from './public-key-signers.ts';
import { sampleKey } from './sample-keys.ts';
import { standardWebhooksSignature } from './signers.ts';

const snowflake = () => BigInt(`0x${hex(7)}`).toString();

/** An application command; with `--type`, a webhook event of that type instead. */
export function discord(s: Sample): SignedSample {
  const key = sampleKey('discord', s.source.secret);
  const applicationId = snowflake();
  const body = JSON.stringify(
    s.type === undefined
      ? {
          id: s.id ?? snowflake(),
          application_id: applicationId,
          type: 2,
          token: hex(16),
          version: 1,
          data: s.data ?? { id: snowflake(), name: 'hello', type: 1 },
        }
      : {
          version: 1,
          application_id: applicationId,
          type: 1,
          event: { type: s.type, timestamp: s.at.toISOString(), data: s.data ?? {} },
        },
  );
  const timestamp = String(s.seconds);
  return json(
    s,
    {
      'X-Signature-Ed25519': discordSignature(key, timestamp, body),
      'X-Signature-Timestamp': timestamp,
    },
    body,
  );
}

export function telnyx(s: Sample): SignedSample {
  const key = sampleKey('telnyx', s.source.secret);
  const body = JSON.stringify({
    data: {
      event_type: s.type ?? 'message.received',
      id: s.id ?? randomUUID(),
      occurred_at: s.at.toISOString(),
      payload: s.data ?? { direction: 'inbound', text: 'Hello from webhook-inbox' },
      record_type: 'event',
    },
    meta: { attempt: 1 },
  });
  const timestamp = String(s.seconds);
  return json(
    s,
    {
      'telnyx-signature-ed25519': telnyxSignature(key, timestamp, body),
      'telnyx-timestamp': timestamp,
    },
    body,
  );
}

/** A batch of one event, as SendGrid posts even a single one. */
export function sendgrid(s: Sample): SignedSample {
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
  const timestamp = String(s.seconds);
  return json(
    s,
    {
      'X-Twilio-Email-Event-Webhook-Signature': sendgridSignature(key, timestamp, body),
      'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
    },
    body,
  );
}

/** `v1` with a `whsec_` secret, `v1a` with the sample `whpk_` public key. */
export function standardWebhooksSampleSignature(
  secret: string,
  id: string,
  seconds: number,
  body: string,
) {
  if (!secret.startsWith('whpk_')) return standardWebhooksSignature(secret, id, seconds, body);
  return standardWebhooksV1aSignature(sampleKey('standard-webhooks', secret), id, seconds, body);
}

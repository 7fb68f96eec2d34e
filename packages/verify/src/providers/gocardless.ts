import { hex, json, linearSignature, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { bodySha256, fixed } from '../naming.ts';
import { type BatchItem, defineProvider } from '../provider.ts';
import { arrayAt, itemField } from './batch-shapes.ts';
import { noOptions } from './options.ts';

/**
 * GoCardless: `Webhook-Signature`, the hex HMAC-SHA256 of the body under the endpoint's secret;
 * the body's `events[]` each carry their own `id`. Nothing is timed: the dedupe is the defence.
 */
export const gocardlessOptions = noOptions;

const SIGNATURE = 'webhook-signature';

const gocardlessVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  // The request as a whole is never stored: its batch rules name each event.
  naming: { id: [bodySha256], type: [fixed('batch')] },
});

/** `payments.confirmed`: what changed, then how. */
const eventType = (item: BatchItem) => {
  const { resource_type: resource, action } = item.json;
  return typeof resource === 'string' && typeof action === 'string'
    ? `${resource}.${action}`
    : undefined;
};

/** The same scheme as Linear's (hex HMAC-SHA256 of the body), under GoCardless's header. */
function gocardlessSample(s: Sample): SignedSample {
  const [resource = 'payments', action = 'confirmed'] = (s.type ?? 'payments.confirmed').split('.');
  const body = JSON.stringify({
    events: [
      {
        id: s.id ?? `EV${hex(6).toUpperCase()}`,
        created_at: s.at.toISOString(),
        resource_type: resource,
        action,
        links: { payment: `PM${hex(6).toUpperCase()}` },
        details: s.data ?? { origin: 'gocardless', cause: 'payment_confirmed' },
      },
    ],
    meta: { webhook_id: `WB${hex(6).toUpperCase()}` },
  });
  return json(s, { 'Webhook-Signature': linearSignature(s.source.secret, body) }, body);
}

export const gocardless = defineProvider({
  name: 'gocardless',
  options: gocardlessOptions,
  verifier: gocardlessVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  batch: {
    split: arrayAt('events'),
    eventId: itemField('id'),
    eventType,
    whenEmpty: 'acked',
    docs: {
      item: 'each `events[]` element, `meta` in the envelope',
      empty: 'acked, nothing stored',
    },
  },
  sample: gocardlessSample,
  docs: {
    entry: { name: 'gocardless', secret: 'env:GOCARDLESS_WEBHOOK_SECRET' },
    verified: '`Webhook-Signature`: hex HMAC-SHA256 of the body',
    replayWindow: 'none (no signed timestamp)',
    eventId: "each event's `id`",
    eventType: "each event's `resource_type`.`action`",
    oracle: { documented: 'receiver code' },
  },
});

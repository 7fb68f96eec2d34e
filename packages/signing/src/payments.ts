import { randomUUID } from 'node:crypto';
import { option } from './generic.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import {
  lemonSqueezySignature,
  paddleSignature,
  squareSignature,
  stripeSignature,
} from './signers.ts';

export function stripe(s: Sample): SignedSample {
  const body = JSON.stringify({
    id: s.id ?? `evt_${hex(12)}`,
    object: 'event',
    type: s.type ?? 'payment_intent.succeeded',
    created: s.seconds,
    livemode: false,
    data: {
      object: s.data ?? {
        id: `pi_${hex(12)}`,
        object: 'payment_intent',
        amount: 4900,
        amount_received: 4900,
        currency: 'usd',
        customer: 'cus_1',
        status: 'succeeded',
      },
    },
  });
  return json(s, { 'Stripe-Signature': stripeSignature(s.source.secret, s.seconds, body) }, body);
}

export function paddle(s: Sample): SignedSample {
  const body = JSON.stringify({
    event_id: s.id ?? `evt_${hex(12)}`,
    event_type: s.type ?? 'transaction.completed',
    occurred_at: s.at.toISOString(),
    notification_id: `ntf_${hex(12)}`,
    data: s.data ?? { id: `txn_${hex(12)}`, status: 'completed' },
  });
  return json(s, { 'Paddle-Signature': paddleSignature(s.source.secret, s.seconds, body) }, body);
}

export function lemonSqueezy(s: Sample): SignedSample {
  const type = s.type ?? 'order_created';
  // Lemon Squeezy's event ID is the body's digest: the sample's ID goes in its custom data.
  const body = JSON.stringify({
    meta: { event_name: type, custom_data: { sample_id: s.id ?? hex(8) } },
    data: s.data ?? { type: 'orders', id: String(Number.parseInt(hex(3), 16)) },
  });
  return json(
    s,
    { 'X-Event-Name': type, 'X-Signature': lemonSqueezySignature(s.source.secret, body) },
    body,
  );
}

export function square(s: Sample): SignedSample {
  const body = JSON.stringify({
    merchant_id: 'MERCHANT_SAMPLE',
    type: s.type ?? 'payment.updated',
    event_id: s.id ?? randomUUID(),
    created_at: s.at.toISOString(),
    data: s.data ?? { type: 'payment', id: hex(8) },
  });
  const url = option(s.options, 'notificationUrl', '');
  return json(
    s,
    { 'X-Square-HmacSha256-Signature': squareSignature(s.source.secret, url, body) },
    body,
  );
}

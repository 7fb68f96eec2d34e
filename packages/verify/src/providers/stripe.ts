import { hex, json, type Sample, type SignedSample, stripeSignature } from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/**
 * `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, the HMAC-SHA256 of `<t>.<body>` keyed by
 * the whole `whsec_…` string. Any v1 may match (Stripe sends one per active secret).
 */
const stripeOptions = replayWindowOptions(300);

const SIGNATURE = 'stripe-signature';

const stripeVerifier = timestampedListVerifier({
  header: SIGNATURE,
  naming: { id: [field('id')], type: [field('type')] },
});

function stripeSample(s: Sample): SignedSample {
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

export const stripe = defineProvider({
  name: 'stripe',
  options: stripeOptions,
  verifier: stripeVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: stripeSample,
  docs: {
    entry: { name: 'stripe', secret: 'env:STRIPE_SECRET' },
    verified:
      '`Stripe-Signature: t=…,v1=…`: hex HMAC-SHA256 of `<t>.<body>`, keyed by the whole `whsec_…` string; any `v1` may match',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: 'body `id`',
    eventType: 'body `type`',
    oracle: { sdk: ['stripe'] },
  },
});

import {
  hex,
  json,
  razorpaySignature,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { field, header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Razorpay: `X-Razorpay-Signature: <hex HMAC-SHA256 of the body>`, keyed by the secret set on the
 * webhook. No timestamp is signed; Razorpay's docs name `X-Razorpay-Event-Id` as the key to
 * dedupe retries on, and that header is not signed, so the signed-content digest backs it.
 */
const SIGNATURE = 'x-razorpay-signature';

const razorpayVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  naming: { id: [header('x-razorpay-event-id')], type: [field('event')] },
});

function razorpaySample(s: Sample): SignedSample {
  const body = JSON.stringify({
    entity: 'event',
    account_id: `acc_${hex(7)}`,
    event: s.type ?? 'payment.captured',
    contains: ['payment'],
    payload: {
      payment: {
        entity: s.data ?? {
          id: `pay_${hex(7)}`,
          amount: 4900,
          currency: 'INR',
          status: 'captured',
        },
      },
    },
    created_at: s.seconds,
  });
  return json(
    s,
    {
      'X-Razorpay-Event-Id': s.id ?? `evt_${hex(7)}`,
      'X-Razorpay-Signature': razorpaySignature(s.source.secret, body),
    },
    body,
  );
}

export const razorpay = defineProvider({
  name: 'razorpay',
  options: noOptions,
  verifier: razorpayVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: razorpaySample,
  docs: {
    entry: { name: 'razorpay', secret: 'env:RAZORPAY_WEBHOOK_SECRET' },
    verified: '`X-Razorpay-Signature`: hex HMAC-SHA256 of the body',
    replayWindow: 'none (Razorpay signs no timestamp)',
    eventId: 'header `X-Razorpay-Event-Id`',
    eventType: 'body `event` (`payment.captured`, …)',
    oracle: { sdk: ['razorpay'] },
  },
});

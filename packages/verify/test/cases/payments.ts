import Stripe from 'stripe';
import {
  basicAuthorization,
  lemonSqueezySignature,
  paddleSignature,
  razorpaySignature,
  squareSignature,
} from '../signers.ts';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase, sha256 } from './case.ts';

const stripe = new Stripe('sk_test_oracle');
const stripeBody = fixture('stripe-payment_intent.succeeded.json');
const paddleBody = fixture('paddle-transaction.completed.json');
const lemonBody = fixture('lemon-squeezy-order_created.json');
const squareBody = fixture('square-payment.updated.json');
const chargebeeBody = fixture('chargebee-subscription_created.json');
export const razorpayBody = fixture('razorpay-payment.captured.json');

export const SQUARE_URL = 'https://hooks.example.com/webhooks/square';

/**
 * Stripe signs with its SDK; Paddle, Lemon Squeezy, Square and Razorpay with our independent
 * signers (Razorpay's SDK only verifies: razorpay.test.ts holds ours to it).
 */
export const PAYMENT_CASES: readonly ProviderCase[] = [
  {
    label: 'stripe',
    provider: 'stripe',
    secret: 'whsec_test_stripe_current',
    otherSecret: 'whsec_test_stripe_previous',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'Stripe-Signature': stripe.webhooks.generateTestHeaderString({
          payload: stripeBody.toString('utf8'),
          secret,
          timestamp: unixSeconds(at),
        }),
      },
      body: stripeBody,
      url: '/webhooks/stripe',
    }),
    signatureHeader: 'Stripe-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_3PqLk2Lk8vQwXy0A1b2C3d4E', eventType: 'payment_intent.succeeded' },
    toleranceSeconds: 300,
  },
  {
    label: 'paddle',
    provider: 'paddle',
    secret: 'pdl_ntfset_01hv8x0f1s4wtq0h0rqa6x2k9c_current',
    otherSecret: 'pdl_ntfset_01hv8x0f1s4wtq0h0rqa6x2k9c_previous',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'Paddle-Signature': paddleSignature(secret, unixSeconds(at), paddleBody),
      },
      body: paddleBody,
      url: '/webhooks/paddle',
    }),
    signatureHeader: 'Paddle-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_01hv8x2acma2gz6he8kg3a2ys1', eventType: 'transaction.completed' },
    toleranceSeconds: 60,
  },
  {
    label: 'lemon-squeezy',
    provider: 'lemon-squeezy',
    secret: 'lemon-current-secret',
    otherSecret: 'lemon-previous-secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Signature': lemonSqueezySignature(secret, lemonBody),
        'X-Event-Name': 'order_created',
      },
      body: lemonBody,
      url: '/webhooks/lemon',
    }),
    signatureHeader: 'X-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: sha256(lemonBody), eventType: 'order_created' },
  },
  {
    label: 'square',
    provider: 'square',
    options: { notificationUrl: SQUARE_URL },
    secret: 'square-current-signature-key',
    otherSecret: 'square-previous-signature-key',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Square-HmacSha256-Signature': squareSignature(secret, SQUARE_URL, squareBody),
        'Square-Version': '2024-06-04',
      },
      body: squareBody,
      url: '/webhooks/square',
    }),
    signatureHeader: 'X-Square-HmacSha256-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: '6a8f5f28-54a1-4eb0-a98a-3111513fd4fc', eventType: 'payment.updated' },
  },
  {
    label: 'razorpay',
    provider: 'razorpay',
    secret: 'razorpay_current_webhook_secret',
    otherSecret: 'razorpay_previous_webhook_secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-Razorpay-Signature': razorpaySignature(secret, razorpayBody),
        'X-Razorpay-Event-Id': 'KEwDe6kv2mCs4E',
      },
      body: razorpayBody,
      url: '/webhooks/razorpay',
    }),
    signatureHeader: 'X-Razorpay-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'KEwDe6kv2mCs4E', eventType: 'payment.captured' },
    unsignedIdHeader: 'X-Razorpay-Event-Id',
  },
  {
    label: 'chargebee',
    provider: 'chargebee',
    secret: 'chargebee:current-password',
    otherSecret: 'chargebee:previous-password',
    sign: async (secret) => ({
      headers: { ...json, Authorization: basicAuthorization(secret) },
      body: chargebeeBody,
      url: '/webhooks/chargebee',
    }),
    signatureHeader: 'Authorization',
    signatureFrom: 'Basic '.length,
    garbled: 'malformed_signature',
    credentialOnly: true,
    expected: { eventId: 'ev_16BHbhF4s42tO2lK', eventType: 'subscription_created' },
  },
];

import { stripeSignature } from '@webhook-inbox/signing';
import { basicAuthorization, defaultHmacSignature, templatedSignature } from '../signers.ts';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase, sha256 } from './case.ts';

const genericBody = fixture('generic-payment.succeeded.json');

/** The configurable providers, signed by our independent signers. */
export const GENERIC_CASES: readonly ProviderCase[] = [
  {
    label: 'hmac (defaults)',
    provider: 'hmac',
    secret: 'generic-current-secret',
    otherSecret: 'generic-previous-secret',
    sign: async (secret) => ({
      headers: { ...json, 'X-Signature': defaultHmacSignature(secret, genericBody) },
      body: genericBody,
      url: '/webhooks/generic',
    }),
    signatureHeader: 'X-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_generic_0001', eventType: 'payment.succeeded' },
  },
  {
    label: 'hmac (templated: {timestamp}.{body}, sha512, base64, headers)',
    provider: 'hmac',
    options: {
      header: 'X-Acme-Signature',
      prefix: 'v1=',
      algorithm: 'sha512',
      encoding: 'base64',
      signed: '{timestamp}.{body}',
      timestampHeader: 'X-Acme-Timestamp',
      timestampFormat: 'unix-seconds',
      toleranceSeconds: 120,
      idHeader: 'X-Acme-Event-Id',
      typeHeader: 'X-Acme-Event',
    },
    secret: 'acme-current-secret',
    otherSecret: 'acme-previous-secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'X-Acme-Timestamp': String(unixSeconds(at)),
        'X-Acme-Signature': `v1=${templatedSignature(secret, unixSeconds(at), genericBody)}`,
        'X-Acme-Event-Id': 'acme_evt_77',
        'X-Acme-Event': 'invoice.paid',
      },
      body: genericBody,
      url: '/webhooks/acme',
    }),
    signatureHeader: 'X-Acme-Signature',
    signedHeaders: ['X-Acme-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: 'acme_evt_77', eventType: 'invoice.paid' },
    unsignedIdHeader: 'X-Acme-Event-Id',
    toleranceSeconds: 120,
  },
  {
    label: 'hmac (a t=…,v1=… list header under its own name)',
    provider: 'hmac',
    options: {
      header: 'X-Vendor-Signature',
      signatureKey: 'v1',
      timestampKey: 't',
      signed: '{timestamp}.{body}',
      toleranceSeconds: 240,
    },
    secret: 'vendor-current-secret',
    otherSecret: 'vendor-previous-secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'X-Vendor-Signature': stripeSignature(secret, unixSeconds(at), genericBody),
      },
      body: genericBody,
      url: '/webhooks/vendor',
    }),
    signatureHeader: 'X-Vendor-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_generic_0001', eventType: 'payment.succeeded' },
    toleranceSeconds: 240,
  },
  {
    label: 'api-key',
    provider: 'api-key',
    secret: 'polka_current_key',
    otherSecret: 'polka_previous_key',
    sign: async (secret) => ({
      headers: { ...json, Authorization: `ApiKey ${secret}` },
      body: genericBody,
      url: '/webhooks/polka',
    }),
    signatureHeader: 'Authorization',
    garbled: 'no_matching_secret',
    credentialOnly: true,
    expected: { eventId: sha256(genericBody), eventType: 'payment.succeeded' },
  },
  {
    label: 'basic-auth',
    provider: 'basic-auth',
    options: { idField: 'id' },
    secret: 'sender:current-password',
    otherSecret: 'sender:previous-password',
    sign: async (secret) => ({
      headers: { ...json, Authorization: basicAuthorization(secret) },
      body: genericBody,
      url: '/webhooks/legacy',
    }),
    signatureHeader: 'Authorization',
    signatureFrom: 'Basic '.length,
    garbled: 'malformed_signature',
    credentialOnly: true,
    expected: { eventId: 'evt_generic_0001', eventType: 'payment.succeeded' },
  },
];

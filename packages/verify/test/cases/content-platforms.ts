import { bigcommerceSignature, boxSignature, docusignSignature } from '@webhook-inbox/signing';
import { json, type ProviderCase } from './case.ts';

export const boxBody = Buffer.from(
  JSON.stringify({
    type: 'webhook_event',
    id: 'eb0c4e06-751f-442c-86f8-fd5bb404dbec',
    created_at: '2026-06-01T04:59:58-07:00',
    trigger: 'FILE.UPLOADED',
    webhook: { id: '53', type: 'webhook' },
    created_by: { type: 'user', id: '2', name: 'Aaron Levie', login: 'ceo@example.com' },
    source: { id: '123', type: 'file', name: 'Contract.pdf' },
    additional_info: [],
  }),
);

export const docusignBody = Buffer.from(
  JSON.stringify({
    event: 'envelope-completed',
    apiVersion: 'v2.1',
    uri: '/restapi/v2.1/accounts/8a6f4b2e-0000-4000-8000-000000000001/envelopes/93be49ab-afa0-4adf-933c-f752070d71ec',
    retryCount: 0,
    configurationId: 10418452,
    generatedDateTime: '2026-06-01T11:59:58.4513269Z',
    data: {
      accountId: '8a6f4b2e-0000-4000-8000-000000000001',
      userId: '5c1a9e3d-0000-4000-8000-000000000002',
      envelopeId: '93be49ab-afa0-4adf-933c-f752070d71ec',
    },
  }),
);

export const bigcommerceBody = Buffer.from(
  JSON.stringify({
    created_at: 1780315199,
    store_id: '1025646',
    producer: 'stores/abc123',
    scope: 'store/order/statusUpdated',
    hash: '3f9ea420af83450d7ef9f78b08c8af25b2213637',
    data: { type: 'order', id: 173331 },
  }),
);

/** Box writes RFC 3339 to the second, with the sender's offset. */
export const boxTime = (at: Date) =>
  `${new Date(at.getTime() - 7 * 3_600_000).toISOString().slice(0, 19)}-07:00`;

const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
const BIGCOMMERCE_ID = 'f2b0f6c1-4bd4-4f0b-9a52-3b7c6b0a2d11';

/** Box's SDK is their oracle (box.test.ts); the others' docs' code is (their own test files). */
export const CONTENT_PLATFORM_CASES: readonly ProviderCase[] = [
  {
    label: 'box',
    provider: 'box',
    secret: 'box_primary_signature_key',
    otherSecret: 'box_secondary_signature_key',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'BOX-DELIVERY-ID': '673a081b-bb4b-4d45-b4f1-4131a29c1d07',
        'BOX-DELIVERY-TIMESTAMP': boxTime(at),
        'BOX-SIGNATURE-PRIMARY': boxSignature(secret, boxBody, boxTime(at)),
        'BOX-SIGNATURE-VERSION': '1',
        'BOX-SIGNATURE-ALGORITHM': 'HmacSHA256',
      },
      body: boxBody,
      url: '/webhooks/box',
    }),
    signatureHeader: 'BOX-SIGNATURE-PRIMARY',
    signedHeaders: ['BOX-DELIVERY-TIMESTAMP'],
    garbled: 'malformed_signature',
    expected: { eventId: 'eb0c4e06-751f-442c-86f8-fd5bb404dbec', eventType: 'FILE.UPLOADED' },
    toleranceSeconds: 600,
  },
  {
    label: 'docusign',
    provider: 'docusign',
    secret: 'docusign_connect_key_current',
    otherSecret: 'docusign_connect_key_previous',
    sign: async (secret) => ({
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'X-Authorization-Digest': 'HMACSHA256',
        'X-DocuSign-Signature-1': docusignSignature(secret, docusignBody),
      },
      body: docusignBody,
      url: '/webhooks/docusign',
    }),
    signatureHeader: 'X-DocuSign-Signature-1',
    garbled: 'malformed_signature',
    expected: {
      eventId:
        '93be49ab-afa0-4adf-933c-f752070d71ec:envelope-completed:2026-06-01T11:59:58.4513269Z',
      eventType: 'envelope-completed',
    },
  },
  {
    label: 'bigcommerce',
    provider: 'bigcommerce',
    secret: 'bigcommerce_client_secret_current',
    otherSecret: 'bigcommerce_client_secret_previous',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'webhook-id': BIGCOMMERCE_ID,
        'webhook-timestamp': String(seconds(at)),
        'webhook-signature': bigcommerceSignature(
          secret,
          BIGCOMMERCE_ID,
          seconds(at),
          bigcommerceBody,
        ),
      },
      body: bigcommerceBody,
      url: '/webhooks/store',
    }),
    signatureHeader: 'webhook-signature',
    signedHeaders: ['webhook-timestamp', 'webhook-id'],
    garbled: 'malformed_signature',
    expected: { eventId: BIGCOMMERCE_ID, eventType: 'store/order/statusUpdated' },
    toleranceSeconds: 300,
  },
];

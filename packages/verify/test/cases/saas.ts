import {
  basicAuthorization,
  intercomSignature,
  typeformSignature,
  woocommerceSignature,
  zendeskSignature,
} from '@webhook-inbox/signing';
import { json, type ProviderCase, sha256 } from './case.ts';

export const typeformBody = Buffer.from(
  JSON.stringify({
    event_id: '01JXQ9W4ZKD3M6N8P0R2S4T6V8',
    event_type: 'form_response',
    form_response: {
      form_id: 'lT4Z3j',
      token: 'a3a12ec67a1365927098a606107fac15',
      submitted_at: '2026-06-01T11:59:58Z',
      answers: [{ type: 'text', text: 'Lorem ipsum', field: { id: 'X4J', type: 'short_text' } }],
    },
  }),
);

export const intercomBody = Buffer.from(
  JSON.stringify({
    type: 'notification_event',
    app_id: 'a86dr8yl',
    id: 'notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3',
    topic: 'conversation.user.created',
    data: { type: 'notification_event_data', item: { type: 'conversation', id: '147' } },
    delivery_attempts: 1,
    first_sent_at: 1780315199,
    created_at: 1780315199,
  }),
);

export const postmarkBody = Buffer.from(
  JSON.stringify({
    RecordType: 'Delivery',
    ServerID: 23,
    MessageStream: 'outbound',
    MessageID: '00000000-0000-0000-0000-000000000000',
    Recipient: 'john@example.com',
    Tag: 'welcome-email',
    DeliveredAt: '2026-06-01T11:59:58Z',
    Details: 'Test delivery webhook details',
    Metadata: { a_key: 'a_value' },
  }),
);

export const zendeskBody = Buffer.from(
  JSON.stringify({
    type: 'zen:event-type:user.active_changed',
    account_id: 12514403,
    id: '2b24ef10-19d4-4740-93cf-8f98ec4776c0',
    time: '2026-06-01T11:59:59Z',
    zendesk_event_version: '2022-06-20',
    subject: 'zen:user:6596848315901',
    detail: { id: '6596848315901', role: 'end-user' },
    event: { current: false, previous: true },
  }),
);

export const woocommerceBody = Buffer.from(
  JSON.stringify({
    id: 727,
    status: 'processing',
    currency: 'EUR',
    total: '49.00',
    line_items: [],
  }),
);

/** Zendesk's timestamp is an ISO 8601 time to the second. */
export const zendeskTime = (at: Date) => `${at.toISOString().slice(0, 19)}Z`;

/** No SDK of these providers verifies: our independent signers are the senders. */
export const SAAS_CASES: readonly ProviderCase[] = [
  {
    label: 'typeform',
    provider: 'typeform',
    secret: 'typeform_current_secret',
    otherSecret: 'typeform_previous_secret',
    sign: async (secret) => ({
      headers: { ...json, 'Typeform-Signature': typeformSignature(secret, typeformBody) },
      body: typeformBody,
      url: '/webhooks/typeform',
    }),
    signatureHeader: 'Typeform-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: '01JXQ9W4ZKD3M6N8P0R2S4T6V8', eventType: 'form_response' },
  },
  {
    label: 'intercom',
    provider: 'intercom',
    secret: 'intercom_current_client_secret',
    otherSecret: 'intercom_previous_client_secret',
    sign: async (secret) => ({
      headers: { ...json, 'X-Hub-Signature': intercomSignature(secret, intercomBody) },
      body: intercomBody,
      url: '/webhooks/intercom',
    }),
    signatureHeader: 'X-Hub-Signature',
    garbled: 'malformed_signature',
    expected: {
      eventId: 'notif_ccd8a4d0-f965-11e3-a367-c779cae3e1b3',
      eventType: 'conversation.user.created',
    },
  },
  {
    label: 'postmark',
    provider: 'postmark',
    secret: 'postmark:current-password',
    otherSecret: 'postmark:previous-password',
    sign: async (secret) => ({
      headers: { ...json, Authorization: basicAuthorization(secret) },
      body: postmarkBody,
      url: '/webhooks/postmark',
    }),
    signatureHeader: 'Authorization',
    signatureFrom: 'Basic '.length,
    garbled: 'malformed_signature',
    credentialOnly: true,
    expected: { eventId: sha256(postmarkBody), eventType: 'Delivery' },
  },
  {
    label: 'zendesk',
    provider: 'zendesk',
    secret: 'dGhpc19zZWNyZXRfaXNfZm9yX3Rlc3Rpbmdfb25seQ==',
    otherSecret: 'zendesk_previous_signing_secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'X-Zendesk-Webhook-Signature-Timestamp': zendeskTime(at),
        'X-Zendesk-Webhook-Signature': zendeskSignature(secret, zendeskTime(at), zendeskBody),
      },
      body: zendeskBody,
      url: '/webhooks/zendesk',
    }),
    signatureHeader: 'X-Zendesk-Webhook-Signature',
    signedHeaders: ['X-Zendesk-Webhook-Signature-Timestamp'],
    garbled: 'malformed_signature',
    expected: {
      eventId: '2b24ef10-19d4-4740-93cf-8f98ec4776c0',
      eventType: 'zen:event-type:user.active_changed',
    },
    toleranceSeconds: 300,
  },
  {
    label: 'woocommerce',
    provider: 'woocommerce',
    secret: 'woocommerce_current_secret',
    otherSecret: 'woocommerce_previous_secret',
    sign: async (secret) => ({
      headers: {
        ...json,
        'X-WC-Webhook-Topic': 'order.created',
        'X-WC-Webhook-Resource': 'order',
        'X-WC-Webhook-Event': 'created',
        'X-WC-Webhook-ID': '12',
        'X-WC-Webhook-Delivery-ID': '4df0a951a314adc554e0f2016102e020',
        'X-WC-Webhook-Signature': woocommerceSignature(secret, woocommerceBody),
      },
      body: woocommerceBody,
      url: '/webhooks/shop',
    }),
    signatureHeader: 'X-WC-Webhook-Signature',
    unsignedIdHeader: 'X-WC-Webhook-Delivery-ID',
    garbled: 'malformed_signature',
    expected: { eventId: '4df0a951a314adc554e0f2016102e020', eventType: 'order.created' },
  },
];

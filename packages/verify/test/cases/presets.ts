import {
  calendlySignature,
  muxSignature,
  pagerDutySignature,
  personaSignature,
} from '@webhook-inbox/signing';
import { WorkOS } from '@workos-inc/node';
import { unixSeconds } from '../support.ts';
import { json, type ProviderCase, sha256 } from './case.ts';

const workosEvent = {
  id: 'event_01HZK8Q3N7M4X2P9A5B6C7D8E9',
  event: 'dsync.user.created',
  data: { object: 'directory_user', id: 'directory_user_01E1X56GH84T3FB41SD6PZGDBX' },
  created_at: '2026-06-01T11:59:59.000Z',
};
const workosBody = Buffer.from(JSON.stringify(workosEvent));
const workos = new WorkOS('sk_test_oracle');

export const muxBody = Buffer.from(
  JSON.stringify({
    type: 'video.asset.ready',
    object: { type: 'asset', id: 'a4Ow3Ny1mOBt3M01q1Az5kEr' },
    id: '3a56ac3d-33da-4366-855b-f592d898409d',
    environment: { name: 'Production', id: 'j0863n' },
    data: { id: 'a4Ow3Ny1mOBt3M01q1Az5kEr', status: 'ready', duration: 23.8 },
    created_at: '2026-06-01T11:59:59.000Z',
  }),
);

const calendlyBody = Buffer.from(
  JSON.stringify({
    created_at: '2026-06-01T11:59:59.000000Z',
    created_by: 'https://api.calendly.com/users/AAAAAAAAAAAAAAAA',
    event: 'invitee.created',
    payload: {
      uri: 'https://api.calendly.com/scheduled_events/GBGBDCAADAEDCRZ2/invitees/AAAAAAAAAAAAAAAA',
      email: 'ada@example.com',
      name: 'Ada Lovelace',
      status: 'active',
    },
  }),
);

export const pagerDutyBody = Buffer.from(
  JSON.stringify({
    event: {
      id: '01DEN8A7Y0X3M0A7JVQ2V5R1QK',
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: '2026-06-01T11:59:59.000Z',
      agent: null,
      data: { id: 'PGR0VU2', type: 'incident', status: 'triggered', title: 'Database CPU high' },
    },
  }),
);

export const personaBody = Buffer.from(
  JSON.stringify({
    data: {
      type: 'event',
      id: 'evt_XGuYWp7WZkGbbFKYnBU2Nb5z',
      attributes: {
        name: 'inquiry.completed',
        payload: { data: { type: 'inquiry', id: 'inq_2CVZ4HyVg7qaboXz5XiHXXt2' } },
        'created-at': '2026-06-01T11:59:59.000Z',
      },
    },
  }),
);

/** WorkOS signs with its SDK; Mux, Calendly, PagerDuty and Persona with our independent signers. */
export const PRESET_CASES: readonly ProviderCase[] = [
  {
    label: 'workos',
    provider: 'workos',
    secret: 'workos_current_webhook_secret',
    otherSecret: 'workos_previous_webhook_secret',
    sign: async (secret, at) => {
      const signature = await workos.webhooks.computeSignature(at.getTime(), workosEvent, secret);
      return {
        headers: { ...json, 'WorkOS-Signature': `t=${at.getTime()}, v1=${signature}` },
        body: workosBody,
        url: '/webhooks/workos',
      };
    },
    signatureHeader: 'WorkOS-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: workosEvent.id, eventType: 'dsync.user.created' },
    toleranceSeconds: 180,
  },
  {
    label: 'mux',
    provider: 'mux',
    secret: 'mux_current_signing_secret',
    otherSecret: 'mux_previous_signing_secret',
    sign: async (secret, at) => ({
      headers: { ...json, 'Mux-Signature': muxSignature(secret, unixSeconds(at), muxBody) },
      body: muxBody,
      url: '/webhooks/mux',
    }),
    signatureHeader: 'Mux-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: '3a56ac3d-33da-4366-855b-f592d898409d', eventType: 'video.asset.ready' },
    toleranceSeconds: 300,
  },
  {
    label: 'calendly',
    provider: 'calendly',
    secret: 'calendly_current_signing_key',
    otherSecret: 'calendly_previous_signing_key',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'Calendly-Webhook-Signature': calendlySignature(secret, unixSeconds(at), calendlyBody),
      },
      body: calendlyBody,
      url: '/webhooks/calendly',
    }),
    signatureHeader: 'Calendly-Webhook-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: sha256(calendlyBody), eventType: 'invitee.created' },
    toleranceSeconds: 180,
  },
  {
    label: 'pagerduty',
    provider: 'pagerduty',
    secret: 'pagerduty_current_secret',
    otherSecret: 'pagerduty_previous_secret',
    sign: async (secret) => ({
      headers: { ...json, 'X-PagerDuty-Signature': pagerDutySignature([secret], pagerDutyBody) },
      body: pagerDutyBody,
      url: '/webhooks/pagerduty',
    }),
    signatureHeader: 'X-PagerDuty-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: '01DEN8A7Y0X3M0A7JVQ2V5R1QK', eventType: 'incident.triggered' },
  },
  {
    label: 'persona',
    provider: 'persona',
    secret: 'wbhsec_current_persona_secret',
    otherSecret: 'wbhsec_previous_persona_secret',
    sign: async (secret, at) => ({
      headers: {
        ...json,
        'Persona-Signature': personaSignature([secret], unixSeconds(at), personaBody),
      },
      body: personaBody,
      url: '/webhooks/persona',
    }),
    signatureHeader: 'Persona-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: 'evt_XGuYWp7WZkGbbFKYnBU2Nb5z', eventType: 'inquiry.completed' },
    toleranceSeconds: 300,
  },
];

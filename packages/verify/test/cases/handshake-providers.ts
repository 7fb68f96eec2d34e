import {
  dropboxSignature,
  metaSignature,
  twitchSignature,
  zoomSignature,
} from '@webhook-inbox/signing';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase, sha256 } from './case.ts';

/**
 * The providers that also answer a handshake, as their events arrive. Their handshakes are in
 * handshakes.test.ts; Microsoft Graph, whose credential is in the body, in microsoft-graph.test.ts.
 */

const zoomBody = fixture('zoom-meeting.started.json');
const twitchBody = fixture('twitch-channel.follow.json');
const metaBody = fixture('meta-whatsapp-messages.json');
const dropboxBody = fixture('dropbox-list_folder.json');
const oktaBody = fixture('okta-user.session.start.json');
/** An Event Grid batch of one event (the shared suites send one event per request). */
const gridBody = Buffer.from(
  JSON.stringify([
    {
      id: '831e1650-001e-001b-66ab-eeb76e069631',
      topic: '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/example',
      subject: '/blobServices/default/containers/example/blobs/a.txt',
      eventType: 'Microsoft.Storage.BlobCreated',
      eventTime: '2026-06-01T12:00:00.000Z',
      data: { api: 'PutBlob' },
      dataVersion: '1',
    },
  ]),
);
/** An Auth0 log stream batch of one log (the shared suites send one event per request). */
const auth0Body = Buffer.from(
  JSON.stringify([
    {
      log_id: '90020260601120000000000000000000000001',
      data: { date: '2026-06-01T12:00:00.000Z', type: 's', description: 'Success Login' },
    },
  ]),
);

export const TWITCH_MESSAGE_ID = 'befa7b53-d79d-478f-86b9-120f112b044e';
export const META_VERIFY_TOKEN = 'meta-verify-token-entered-in-the-dashboard';

/** Twitch's headers for a message of `type`, signed at `at`. */
export function twitchHeaders(secret: string, at: Date, body: Buffer, type = 'notification') {
  const timestamp = at.toISOString();
  return {
    ...json,
    'Twitch-Eventsub-Message-Id': TWITCH_MESSAGE_ID,
    'Twitch-Eventsub-Message-Retry': '0',
    'Twitch-Eventsub-Message-Type': type,
    'Twitch-Eventsub-Message-Timestamp': timestamp,
    'Twitch-Eventsub-Message-Signature': twitchSignature(
      secret,
      TWITCH_MESSAGE_ID,
      timestamp,
      body,
    ),
    'Twitch-Eventsub-Subscription-Type': 'channel.follow',
    'Twitch-Eventsub-Subscription-Version': '2',
  };
}

/** Zoom's headers for `body`, signed at `at`. */
export const zoomHeaders = (secret: string, at: Date, body: Buffer) => ({
  ...json,
  'x-zm-request-timestamp': String(unixSeconds(at)),
  'x-zm-signature': zoomSignature(secret, unixSeconds(at), body),
});

export const HANDSHAKE_PROVIDER_CASES: readonly ProviderCase[] = [
  {
    label: 'zoom',
    provider: 'zoom',
    secret: 'zoom-secret-token-of-the-app',
    otherSecret: 'zoom-previous-secret-token',
    sign: async (secret, at) => ({
      headers: zoomHeaders(secret, at, zoomBody),
      body: zoomBody,
      url: '/webhooks/zoom',
    }),
    signatureHeader: 'x-zm-signature',
    signedHeaders: ['x-zm-request-timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: sha256(zoomBody), eventType: 'meeting.started' },
    toleranceSeconds: 300,
  },
  {
    label: 'twitch',
    provider: 'twitch',
    secret: 'twitch-eventsub-secret-0123456789',
    otherSecret: 'twitch-eventsub-previous-secret',
    sign: async (secret, at) => ({
      headers: twitchHeaders(secret, at, twitchBody),
      body: twitchBody,
      url: '/webhooks/twitch',
    }),
    signatureHeader: 'Twitch-Eventsub-Message-Signature',
    signedHeaders: ['Twitch-Eventsub-Message-Id', 'Twitch-Eventsub-Message-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: TWITCH_MESSAGE_ID, eventType: 'channel.follow' },
    toleranceSeconds: 600,
  },
  {
    label: 'meta',
    provider: 'meta',
    options: { verifyToken: META_VERIFY_TOKEN },
    secret: 'meta-app-secret-0123456789abcdef',
    otherSecret: 'meta-previous-app-secret',
    sign: async (secret) => ({
      headers: { ...json, 'X-Hub-Signature-256': metaSignature(secret, metaBody) },
      body: metaBody,
      url: '/webhooks/meta',
    }),
    signatureHeader: 'X-Hub-Signature-256',
    garbled: 'malformed_signature',
    // Each entry is an event, named by its digest.
    expected: {
      eventId: sha256(Buffer.from(JSON.stringify(JSON.parse(metaBody.toString('utf8')).entry[0]))),
      eventType: 'whatsapp_business_account',
    },
  },
  {
    label: 'dropbox',
    provider: 'dropbox',
    secret: 'dropbox-app-secret-0123456789',
    otherSecret: 'dropbox-previous-app-secret',
    sign: async (secret) => ({
      headers: { ...json, 'X-Dropbox-Signature': dropboxSignature(secret, dropboxBody) },
      body: dropboxBody,
      url: '/webhooks/dropbox',
    }),
    signatureHeader: 'X-Dropbox-Signature',
    garbled: 'malformed_signature',
    expected: { eventId: sha256(dropboxBody), eventType: 'list_folder' },
  },
  {
    label: 'auth0',
    provider: 'auth0',
    secret: 'Bearer auth0-log-stream-token-0123456789',
    otherSecret: 'Bearer auth0-previous-log-stream-token',
    sign: async (secret) => ({
      headers: { ...json, Authorization: secret },
      body: auth0Body,
      url: '/webhooks/auth0',
    }),
    signatureHeader: 'Authorization',
    garbled: 'no_matching_secret',
    credentialOnly: true,
    expected: { eventId: '90020260601120000000000000000000000001', eventType: 's' },
  },
  {
    label: 'azure-event-grid',
    provider: 'azure-event-grid',
    secret: 'event-grid-key-0123456789abcdef',
    otherSecret: 'event-grid-previous-key',
    sign: async (secret) => ({
      headers: { ...json, 'aeg-sas-key': secret },
      body: gridBody,
      url: '/webhooks/grid',
    }),
    signatureHeader: 'aeg-sas-key',
    garbled: 'no_matching_secret',
    credentialOnly: true,
    expected: {
      eventId: '831e1650-001e-001b-66ab-eeb76e069631',
      eventType: 'Microsoft.Storage.BlobCreated',
    },
  },
  {
    label: 'okta',
    provider: 'okta',
    secret: 'okta-event-hook-secret-0123456789',
    otherSecret: 'okta-previous-event-hook-secret',
    sign: async (secret) => ({
      headers: { ...json, Authorization: secret },
      body: oktaBody,
      url: '/webhooks/okta',
    }),
    signatureHeader: 'Authorization',
    garbled: 'no_matching_secret',
    credentialOnly: true,
    expected: { eventId: '4dd4b9e1-7fa7-11ea-8dc6-2d4d3f4a3a0f', eventType: 'user.session.start' },
  },
];

import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import {
  discordSignature,
  sendgridSignature,
  standardWebhooksV1aSignature,
  telnyxSignature,
} from '../signers.ts';
import { fixture, unixSeconds } from '../support.ts';
import { json, type ProviderCase } from './case.ts';

/**
 * The public-key providers. A case's secrets are public keys: the sample key the CLI's `send`
 * signs with, and a pair made here for the rotation. `sign` finds the private half by the
 * public one, as only the sender could.
 */
const ed25519 = generateKeyPairSync('ed25519').privateKey;
const p256 = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

const rawPublic = (key: KeyObject) =>
  Buffer.from(key.export({ format: 'jwk' }).x ?? '', 'base64url');

/** Public keys as each provider writes them, for the pair made here. */
const OTHER = {
  discord: rawPublic(ed25519).toString('hex'),
  telnyx: rawPublic(ed25519).toString('base64'),
  'standard-webhooks': `whpk_${rawPublic(ed25519).toString('base64')}`,
  sendgrid: createPublicKey(p256).export({ format: 'der', type: 'spki' }).toString('base64'),
};

const PRIVATE = new Map<string, KeyObject>([
  ...Object.values(SAMPLE_KEYS).map((k): [string, KeyObject] => [k.configured, k.privateKey]),
  [OTHER.discord, ed25519],
  [OTHER.telnyx, ed25519],
  [OTHER['standard-webhooks'], ed25519],
  [OTHER.sendgrid, p256],
]);

function privateKeyOf(publicKey: string): KeyObject {
  const key = PRIVATE.get(publicKey);
  if (!key) throw new Error('no private key for that public key in the test');
  return key;
}

const discordBody = fixture('discord-application-command.json');
const telnyxBody = fixture('telnyx-message.received.json');
// A batch of one: the shared suites check one event per request (see support.ts).
const sendgridBody = Buffer.from(
  JSON.stringify(JSON.parse(fixture('sendgrid-events.json').toString('utf8')).slice(0, 1)),
);
const clerkBody = fixture('clerk-user.created.json');
const V1A_MESSAGE_ID = 'msg_2tB1zAsymmetricV1a';

export const PUBLIC_KEY_CASES: readonly ProviderCase[] = [
  {
    label: 'discord',
    provider: 'discord',
    secret: SAMPLE_KEYS.discord.configured,
    otherSecret: OTHER.discord,
    sign: async (publicKey, at) => {
      const timestamp = String(unixSeconds(at));
      return {
        headers: {
          ...json,
          'X-Signature-Ed25519': discordSignature(privateKeyOf(publicKey), timestamp, discordBody),
          'X-Signature-Timestamp': timestamp,
        },
        body: discordBody,
        url: '/webhooks/discord',
      };
    },
    signatureHeader: 'X-Signature-Ed25519',
    signedHeaders: ['X-Signature-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: '1230012347712200704', eventType: '2' },
    toleranceSeconds: 300,
  },
  {
    label: 'telnyx',
    provider: 'telnyx',
    secret: SAMPLE_KEYS.telnyx.configured,
    otherSecret: OTHER.telnyx,
    sign: async (publicKey, at) => {
      const timestamp = String(unixSeconds(at));
      return {
        headers: {
          ...json,
          'telnyx-signature-ed25519': telnyxSignature(
            privateKeyOf(publicKey),
            timestamp,
            telnyxBody,
          ),
          'telnyx-timestamp': timestamp,
        },
        body: telnyxBody,
        url: '/webhooks/telnyx',
      };
    },
    signatureHeader: 'telnyx-signature-ed25519',
    signedHeaders: ['telnyx-timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: 'b301ed3f-1490-491f-995f-6e64e69674d4', eventType: 'message.received' },
    toleranceSeconds: 300,
  },
  {
    label: 'sendgrid',
    provider: 'sendgrid',
    secret: SAMPLE_KEYS.sendgrid.configured,
    otherSecret: OTHER.sendgrid,
    sign: async (publicKey, at) => {
      const timestamp = String(unixSeconds(at));
      return {
        headers: {
          ...json,
          'X-Twilio-Email-Event-Webhook-Signature': sendgridSignature(
            privateKeyOf(publicKey),
            timestamp,
            sendgridBody,
          ),
          'X-Twilio-Email-Event-Webhook-Timestamp': timestamp,
        },
        body: sendgridBody,
        url: '/webhooks/sendgrid',
      };
    },
    signatureHeader: 'X-Twilio-Email-Event-Webhook-Signature',
    signedHeaders: ['X-Twilio-Email-Event-Webhook-Timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: 'rbtnWrG1DVDGGGFHFyun0A==', eventType: 'processed' },
    toleranceSeconds: 300,
  },
  {
    label: 'standard-webhooks (v1a, Ed25519)',
    provider: 'standard-webhooks',
    secret: SAMPLE_KEYS['standard-webhooks'].configured,
    otherSecret: OTHER['standard-webhooks'],
    sign: async (publicKey, at) => ({
      headers: {
        ...json,
        'webhook-id': V1A_MESSAGE_ID,
        'webhook-timestamp': String(unixSeconds(at)),
        'webhook-signature': standardWebhooksV1aSignature(
          privateKeyOf(publicKey),
          V1A_MESSAGE_ID,
          unixSeconds(at),
          clerkBody,
        ),
      },
      body: clerkBody,
      url: '/webhooks/clerk-v1a',
    }),
    signatureHeader: 'webhook-signature',
    signedHeaders: ['webhook-id', 'webhook-timestamp'],
    garbled: 'malformed_signature',
    expected: { eventId: V1A_MESSAGE_ID, eventType: 'user.created' },
    toleranceSeconds: 300,
  },
];

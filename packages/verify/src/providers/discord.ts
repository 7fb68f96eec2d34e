import {
  discordSignature,
  hex,
  SAMPLE_KEYS,
  type Sample,
  type SignedSample,
  sampleKey,
  timestampedJson,
} from '@webhook-inbox/signing';
import type { z } from 'zod';
import type { JsonObject } from '../body.ts';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { ed25519PublicKey } from '../engine/public-keys.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider, type Handshake } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Discord interactions and webhook events: `X-Signature-Ed25519`, the hex Ed25519 signature of
 * `<X-Signature-Timestamp><body>`, checked with the application's hex public key (the secret).
 */
const discordOptions = replayWindowOptions(300);

type DiscordOptions = z.infer<typeof discordOptions>;

const SIGNATURE = 'x-signature-ed25519';
const PING = 1;
const WEBHOOK_EVENT_PING = 0;

/**
 * Discord checks a new endpoint with a signed PING it wants answered in kind. An interaction
 * carries an `id` and a `token` (and, like a webhook event, `version: 1`, so that tells them
 * apart not at all); a webhook event (type 0 PING, type 1 event) has neither, and an `event`.
 */
const discordHandshake: Handshake = {
  description: 'interaction PING answered `{"type": 1}`; webhook-event PING with `{}`',
  answer(json: JsonObject) {
    const isInteraction = json.event === undefined && json.token !== undefined;
    const isWebhookEvent = !isInteraction && (json.event !== undefined || json.id === undefined);
    if (isWebhookEvent) return json.type === WEBHOOK_EVENT_PING ? {} : undefined;
    return json.type === PING ? { type: PING } : undefined;
  },
};

function discordVerifier(options: DiscordOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ed25519',
      encoding: 'hex',
      signature: singleHeader(SIGNATURE),
      signed: '{timestamp}{body}',
      timestamp: { names: ['x-signature-timestamp'], toleranceSeconds: options.toleranceSeconds },
      // Interactions carry a snowflake ID and a numeric type; webhook events neither an ID
      // (they are named by their bytes, which hold the event's timestamp) nor more than
      // `event.type`.
      naming: {
        id: [field('id'), bodySha256],
        type: [field('event.type'), field('type')],
      },
      respond: discordHandshake.answer,
    },
    secrets.map((secret) => ed25519PublicKey(secret, 'hex', 'a discord public key')),
  );
}

const snowflake = () => BigInt(`0x${hex(7)}`).toString();

/** An application command; with `--type`, a webhook event of that type instead. */
function discordSample(s: Sample): SignedSample {
  const key = sampleKey('discord', s.source.secret);
  const applicationId = snowflake();
  const body = JSON.stringify(
    s.type === undefined
      ? {
          id: s.id ?? snowflake(),
          application_id: applicationId,
          type: 2,
          token: hex(16),
          version: 1,
          data: s.data ?? { id: snowflake(), name: 'hello', type: 1 },
        }
      : {
          version: 1,
          application_id: applicationId,
          type: 1,
          event: { type: s.type, timestamp: s.at.toISOString(), data: s.data ?? {} },
        },
  );
  return timestampedJson(
    s,
    { signature: 'X-Signature-Ed25519', timestamp: 'X-Signature-Timestamp' },
    body,
    (timestamp) => discordSignature(key, timestamp, body),
  );
}

export const discord = defineProvider({
  name: 'discord',
  options: discordOptions,
  verifier: discordVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  handshake: discordHandshake,
  sample: discordSample,
  sampleSecret: SAMPLE_KEYS.discord.configured,
  docs: {
    entry: { name: 'discord', secret: '<application public key, hex>' },
    verified:
      '`X-Signature-Ed25519`: hex Ed25519 signature of `<X-Signature-Timestamp><body>`, checked with the public key',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: "body `id` (interactions), else the body's SHA-256 (webhook events)",
    eventType: 'body `event.type`, else `type` (the interaction type number)',
    oracle: { sdk: ['discord-interactions'] },
  },
});

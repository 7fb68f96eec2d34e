import { z } from 'zod';
import type { JsonObject } from '../body.ts';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { ed25519PublicKey } from '../engine/public-keys.ts';
import { bodySha256, field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Discord interactions and webhook events: `X-Signature-Ed25519`, the hex Ed25519 signature of
 * `<X-Signature-Timestamp><body>`, checked with the application's hex public key (the secret).
 */
export const discordOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type DiscordOptions = z.infer<typeof discordOptions>;

const PING = 1;
const WEBHOOK_EVENT_PING = 0;

/**
 * Discord checks a new endpoint with a signed PING it wants answered in kind. An interaction
 * has an `id`; a webhook event (type 0 PING, type 1 event) has an `event` or a `version`.
 */
function answer(json: JsonObject): Readonly<Record<string, unknown>> | undefined {
  const isWebhookEvent = json.event !== undefined || json.version !== undefined;
  if (isWebhookEvent) return json.type === WEBHOOK_EVENT_PING ? {} : undefined;
  return json.type === PING ? { type: PING } : undefined;
}

export function discordVerifier(options: DiscordOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ed25519',
      encoding: 'hex',
      signature: { kind: 'single', names: ['x-signature-ed25519'], prefix: '' },
      signed: '{timestamp}{body}',
      timestamp: { names: ['x-signature-timestamp'], toleranceSeconds: options.toleranceSeconds },
      // Interactions carry a snowflake ID and a numeric type; webhook events neither an ID
      // (they are named by their bytes, which hold the event's timestamp) nor more than
      // `event.type`.
      naming: {
        id: [field('id'), bodySha256],
        type: [field('event.type'), field('type')],
      },
      respond: answer,
    },
    secrets.map((secret) => ed25519PublicKey(secret, 'hex', 'a discord public key')),
  );
}

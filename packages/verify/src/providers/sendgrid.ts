import { z } from 'zod';
import { type EventBody, parseJsonBody } from '../body.ts';
import { publicKeySchemeVerifier } from '../engine/public-key-scheme.ts';
import { p256PublicKey } from '../engine/public-keys.ts';
import { bodySha256, fixed } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * SendGrid's signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature`, the base64 DER
 * ECDSA P-256 signature (SHA-256) of `<X-Twilio-Email-Event-Webhook-Timestamp><body>`, checked
 * with the base64 DER verification key SendGrid shows (the secret).
 */
export const sendgridOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type SendgridOptions = z.infer<typeof sendgridOptions>;

/**
 * SendGrid posts a JSON array of events. Until a request can become one row per event, the
 * batch is stored as one event, named by the SHA-256 of its bytes: a retry of the batch under a
 * fresh timestamp is still a duplicate, and the naming reads no fields.
 */
function batchBody(raw: Buffer): EventBody {
  const body = parseJsonBody(raw);
  if (!body.ok) return body;
  if (!Array.isArray(body.json)) return { ok: false, detail: 'body is not a JSON array of events' };
  return { ok: true, text: body.text, json: {} };
}

export function sendgridVerifier(options: SendgridOptions, secrets: readonly string[]): Verifier {
  return publicKeySchemeVerifier(
    {
      algorithm: 'ecdsa-p256-sha256',
      encoding: 'base64',
      signature: {
        kind: 'single',
        names: ['x-twilio-email-event-webhook-signature'],
        prefix: '',
      },
      signed: '{timestamp}{body}',
      timestamp: {
        names: ['x-twilio-email-event-webhook-timestamp'],
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [bodySha256], type: [fixed('batch')] },
      readBody: batchBody,
    },
    secrets.map((secret) => p256PublicKey(secret, 'a sendgrid verification key')),
  );
}

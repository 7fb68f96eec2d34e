import { z } from 'zod';
import type { JsonObject } from '../body.ts';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { bodySha256, field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Slack's Events API: `X-Slack-Signature: v0=<hex HMAC-SHA256 of v0:<timestamp>:<body>>`, the
 * timestamp in `X-Slack-Request-Timestamp`. The type is the inner `event.type`.
 */
export const slackOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type SlackOptions = z.infer<typeof slackOptions>;

/** Slack checks a new Request URL with a signed challenge to echo; it is not an event. */
function challengeAnswer(json: JsonObject): Readonly<Record<string, unknown>> | undefined {
  const { type, challenge } = json;
  return type === 'url_verification' && typeof challenge === 'string' ? { challenge } : undefined;
}

export function slackVerifier(options: SlackOptions, secrets: readonly string[]): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: { kind: 'single', names: ['x-slack-signature'], prefix: 'v0=' },
      signed: 'v0:{timestamp}:{body}',
      freshness: {
        source: { from: 'header', names: ['x-slack-request-timestamp'] },
        format: 'unix-seconds',
        toleranceSeconds: options.toleranceSeconds,
      },
      // Envelopes without an event_id (app_rate_limited) still dedupe by their bytes.
      naming: { id: [field('event_id'), bodySha256], type: [field('event.type'), field('type')] },
      respond: challengeAnswer,
    },
    utf8Keys(secrets),
  );
}

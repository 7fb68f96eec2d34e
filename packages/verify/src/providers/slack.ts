import { z } from 'zod';
import type { JsonObject } from '../body.ts';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { type FormParams, formAsEvent, jsonInField } from '../form.ts';
import { bodySha256, field } from '../naming.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of v0:<timestamp>:<body>>`, the timestamp in
 * `X-Slack-Request-Timestamp`, over the raw bytes of a JSON body (the Events API) or a form body
 * (slash commands; interactivity, whose JSON is in the `payload` field).
 */
export const slackOptions = z.object({ toleranceSeconds: toleranceSeconds(300) }).strict();

export type SlackOptions = z.infer<typeof slackOptions>;

/**
 * Requests Slack wants answered, not stored: the signed challenge that checks a new Request
 * URL, and the `ssl_check` it sends to a slash command's URL.
 */
function answer(json: JsonObject): Readonly<Record<string, unknown>> | undefined {
  const { type, challenge, ssl_check: sslCheck } = json;
  if (type === 'url_verification' && typeof challenge === 'string') return { challenge };
  return sslCheck === '1' ? {} : undefined;
}

/** Interactivity posts `payload=<JSON>`; a slash command's parameters are the event. */
const slackForm = (params: FormParams) =>
  params.has('payload') ? jsonInField(params, 'payload') : formAsEvent(params);

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
      // Events carry event_id; commands and interactions a trigger_id unique to each use.
      // Anything else (app_rate_limited, view_closed) is named by its bytes.
      naming: {
        id: [field('event_id'), field('trigger_id'), bodySha256],
        type: [field('event.type'), field('type'), field('command')],
      },
      respond: answer,
      formBody: slackForm,
    },
    utf8Keys(secrets),
  );
}

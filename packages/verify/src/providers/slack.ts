import { hex, json, type Sample, type SignedSample, slackSignature } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { type FormParams, formAsEvent, jsonInField } from '../form.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider, type Handshake } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Slack: `X-Slack-Signature: v0=<hex HMAC-SHA256 of v0:<timestamp>:<body>>`, the timestamp in
 * `X-Slack-Request-Timestamp`, over the raw bytes of a JSON body (the Events API) or a form body
 * (slash commands; interactivity, whose JSON is in the `payload` field).
 */
const slackOptions = replayWindowOptions(300);

const SIGNATURE = 'x-slack-signature';

/**
 * Requests Slack wants answered, not stored: the signed challenge that checks a new Request
 * URL, and the `ssl_check` it sends to a slash command's URL.
 */
const slackHandshake: Handshake = {
  description: '`url_verification` answered with its `challenge`; `ssl_check` with `{}`',
  answer(json) {
    const { type, challenge, ssl_check: sslCheck } = json;
    if (type === 'url_verification' && typeof challenge === 'string') return { challenge };
    return sslCheck === '1' ? {} : undefined;
  },
};

/** Interactivity posts `payload=<JSON>`; a slash command's parameters are the event. */
const slackForm = (params: FormParams) =>
  params.has('payload') ? jsonInField(params, 'payload') : formAsEvent(params);

function slackVerifier(
  options: z.infer<typeof slackOptions>,
  secrets: readonly string[],
): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: singleHeader(SIGNATURE, 'v0='),
      signed: 'v0:{timestamp}:{body}',
      freshness: headerTimestamp(
        'x-slack-request-timestamp',
        'unix-seconds',
        options.toleranceSeconds,
      ),
      // Events carry event_id; commands and interactions a trigger_id unique to each use.
      // Anything else (app_rate_limited, view_closed) is named by its bytes.
      naming: {
        id: [field('event_id'), field('trigger_id'), bodySha256],
        type: [field('event.type'), field('type'), field('command')],
      },
      respond: slackHandshake.answer,
      formBody: slackForm,
    },
    utf8Keys(secrets),
  );
}

function slackSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    type: 'event_callback',
    event_id: s.id ?? `Ev${hex(6).toUpperCase()}`,
    event_time: s.seconds,
    event: { type: s.type ?? 'app_mention', ...(s.data ?? { text: 'hello' }) },
  });
  return json(
    s,
    {
      'X-Slack-Request-Timestamp': String(s.seconds),
      'X-Slack-Signature': slackSignature(s.source.secret, s.seconds, body),
    },
    body,
  );
}

export const slack = defineProvider({
  name: 'slack',
  options: slackOptions,
  verifier: slackVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  handshake: slackHandshake,
  sample: slackSample,
  docs: {
    entry: { name: 'slack', secret: 'env:SLACK_SIGNING_SECRET' },
    verified:
      '`X-Slack-Signature: v0=<hex HMAC-SHA256 of v0:<X-Slack-Request-Timestamp>:<body>>`; Events API JSON, slash commands and interactivity (forms)',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId:
      "body `event_id`; `trigger_id` for commands and interactivity; else the body's SHA-256",
    eventType: 'body `event.type`, else `type`',
    oracle: { documented: 'test vector' },
  },
});

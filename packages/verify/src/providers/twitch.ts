import { twitchSample } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { type Headers, headerValue, type JsonObject } from '../body.ts';
import { utf8Keys } from '../crypto.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { field, header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { reject, type Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Twitch EventSub over webhooks: `Twitch-Eventsub-Message-Signature: sha256=<hex HMAC-SHA256 of
 * message ID + timestamp + body>`, the timestamp RFC 3339 (Twitch drops messages over ten
 * minutes old, and so do we). What the message is says `Twitch-Eventsub-Message-Type`.
 */
export const twitchOptions = replayWindowOptions(600);

export type TwitchOptions = z.infer<typeof twitchOptions>;

const MESSAGE_TYPE = 'twitch-eventsub-message-type';
const MESSAGE_ID = 'twitch-eventsub-message-id';

/** A new subscription's check, answered with its challenge as the whole text body. */
function challengeOf(json: JsonObject, headers: Headers) {
  if (headerValue(headers, MESSAGE_TYPE) !== 'webhook_callback_verification') return undefined;
  const { challenge } = json;
  return typeof challenge === 'string' && challenge !== '' ? challenge : undefined;
}

export function twitchVerifier(options: TwitchOptions, secrets: readonly string[]): Verifier {
  const verifier = hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      signature: singleHeader('twitch-eventsub-message-signature', 'sha256='),
      signed: '{id}{timestamp}{body}',
      signedIdHeader: [MESSAGE_ID],
      freshness: headerTimestamp(
        'twitch-eventsub-message-timestamp',
        'iso8601',
        options.toleranceSeconds,
      ),
      naming: { id: [header(MESSAGE_ID)], type: [field('subscription.type')] },
      respond: challengeOf,
    },
    utf8Keys(secrets),
  );
  return {
    ...verifier,
    verify(request) {
      const result = verifier.verify(request);
      if (result.kind !== 'event') return result;
      switch (headerValue(request.headers, MESSAGE_TYPE)) {
        case 'webhook_callback_verification':
          // A handshake is never stored, even one too broken to answer.
          return reject('malformed_body', 'webhook_callback_verification without a challenge');
        case 'revocation':
          // The body is the subscription alone: a handler of its type would find no event in it.
          return { kind: 'event', event: { ...result.event, eventType: 'revocation' } };
        default:
          return result;
      }
    },
  };
}

export const twitch = defineProvider({
  name: 'twitch',
  options: twitchOptions,
  verifier: twitchVerifier,
  credentialHeaders: ['twitch-eventsub-message-signature'],
  signedTimestamp: true,
  handshake: { description: 'a signed `webhook_callback_verification`: its `challenge`, as text' },
  sample: twitchSample,
  docs: {
    senders: 'EventSub',
    entry: { name: 'twitch', secret: 'env:TWITCH_EVENTSUB_SECRET' },
    verified:
      '`Twitch-Eventsub-Message-Signature: sha256=<hex HMAC-SHA256 of <message ID><timestamp><body>>`',
    replayWindow: '±600 s (`toleranceSeconds`)',
    eventId: 'header `Twitch-Eventsub-Message-Id` (signed)',
    eventType: 'body `subscription.type`; `revocation` for a revocation',
    oracle: { sdk: ['@twurple/eventsub-http'] },
  },
});

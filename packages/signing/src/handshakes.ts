import { randomInt } from 'node:crypto';
import { azureEventGridHandshake } from './azure-event-grid.ts';
import { option } from './generic.ts';
import { twitchMessage, twitchSubscription } from './handshake-samples.ts';
import { zoomSignature } from './handshake-signers.ts';
import {
  hex,
  json,
  type Sample,
  type SignedSample,
  type Signer,
  timestampedJson,
} from './model.ts';
import { discordSignature } from './public-key-signers.ts';
import { sampleKey } from './sample-keys.ts';
import { slackSignature } from './signers.ts';

/** A GET to the sample's path with `query`. */
const get = (
  s: Sample,
  query: Record<string, string>,
  headers: Record<string, string> = {},
): SignedSample => ({
  method: 'GET',
  path: Object.keys(query).length === 0 ? s.path : `${s.path}?${new URLSearchParams(query)}`,
  headers,
  body: '',
});

function zoom(s: Sample): SignedSample {
  const body = JSON.stringify({
    payload: { plainToken: hex(11) },
    event_ts: s.at.getTime(),
    event: 'endpoint.url_validation',
  });
  return json(
    s,
    {
      'x-zm-request-timestamp': String(s.seconds),
      'x-zm-signature': zoomSignature(s.source.secret, s.seconds, body),
    },
    body,
  );
}

const twitch = (s: Sample) =>
  twitchMessage(s, 'webhook_callback_verification', {
    challenge: `pogchamp-kappa-${hex(8)}`,
    subscription: twitchSubscription(s, 'webhook_callback_verification_pending'),
  });

function slack(s: Sample): SignedSample {
  const body = JSON.stringify({ token: hex(12), challenge: hex(24), type: 'url_verification' });
  return json(
    s,
    {
      'X-Slack-Request-Timestamp': String(s.seconds),
      'X-Slack-Signature': slackSignature(s.source.secret, s.seconds, body),
    },
    body,
  );
}

const meta = (s: Sample) =>
  get(s, {
    'hub.mode': 'subscribe',
    'hub.challenge': String(randomInt(1e9)),
    'hub.verify_token': option(s.options, 'verifyToken', ''),
  });

const dropbox = (s: Sample) => get(s, { challenge: hex(16) });

/** Graph's validation is a POST with the token in the URL and an empty text body. */
const microsoftGraph = (s: Sample): SignedSample => ({
  path: `${s.path}?${new URLSearchParams({ validationToken: `Validation: Testing client application reachability ${hex(4)}` })}`,
  headers: { 'Content-Type': 'text/plain; charset=utf-8' },
  body: '',
});

const okta = (s: Sample) =>
  get(
    s,
    {},
    {
      'X-Okta-Verification-Challenge': hex(16),
      [option(s.options, 'header', 'Authorization')]: s.source.secret,
    },
  );

/** WooCommerce pings a webhook's URL, unsigned, when the webhook is saved. */
const woocommerce = (s: Sample): SignedSample => ({
  path: s.path,
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: `webhook_id=${randomInt(1, 1e6)}`,
});

/** Discord checks a new interactions endpoint with a PING signed like any interaction. */
function discord(s: Sample): SignedSample {
  const key = sampleKey('discord', s.source.secret);
  const snowflake = () => BigInt(`0x${hex(7)}`).toString();
  const body = JSON.stringify({
    id: snowflake(),
    application_id: snowflake(),
    type: 1,
    token: hex(16),
    version: 1,
  });
  return timestampedJson(
    s,
    { signature: 'X-Signature-Ed25519', timestamp: 'X-Signature-Timestamp' },
    body,
    (timestamp) => discordSignature(key, timestamp, body),
  );
}

/** The request each provider sends to check a new URL before it sends any event. */
export const HANDSHAKES: Readonly<Record<string, Signer>> = {
  zoom,
  twitch,
  slack,
  meta,
  dropbox,
  'microsoft-graph': microsoftGraph,
  okta,
  woocommerce,
  'azure-event-grid': azureEventGridHandshake,
  discord,
};

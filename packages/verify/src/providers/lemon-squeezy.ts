import {
  hex,
  json,
  lemonSqueezySignature,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { bodySha256, field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * `X-Signature: <hex HMAC-SHA256 of the body>`, type in `meta.event_name`. Lemon Squeezy sends
 * no event ID and no timestamp: the body's SHA-256 stands in for the ID, so a retry (the same
 * bytes) dedupes while two updates of one object (different bytes) stay two events.
 */
const SIGNATURE = 'x-signature';

const lemonSqueezyVerifier = bodyHmac({
  algorithm: 'sha256',
  encoding: 'hex',
  header: SIGNATURE,
  naming: { id: [bodySha256], type: [field('meta.event_name')] },
});

function lemonSqueezySample(s: Sample): SignedSample {
  const type = s.type ?? 'order_created';
  // Lemon Squeezy's event ID is the body's digest: the sample's ID goes in its custom data.
  const body = JSON.stringify({
    meta: { event_name: type, custom_data: { sample_id: s.id ?? hex(8) } },
    data: s.data ?? { type: 'orders', id: String(Number.parseInt(hex(3), 16)) },
  });
  return json(
    s,
    { 'X-Event-Name': type, 'X-Signature': lemonSqueezySignature(s.source.secret, body) },
    body,
  );
}

export const lemonSqueezy = defineProvider({
  name: 'lemon-squeezy',
  options: noOptions,
  verifier: lemonSqueezyVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: lemonSqueezySample,
  docs: {
    entry: { name: 'lemon', secret: 'env:LEMON_SECRET' },
    verified: '`X-Signature`: hex HMAC-SHA256 of the body',
    replayWindow: 'none (no timestamp)',
    eventId: "the body's SHA-256",
    eventType: 'body `meta.event_name`',
    oracle: { documented: 'receiver code' },
  },
});

import { hex, json, paddleSignature, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/**
 * Paddle Billing: `Paddle-Signature: ts=<unix>;h1=<hex>[;h1=<hex>…]`, the HMAC-SHA256 of
 * `<ts>:<body>`. Paddle's SDKs allow 5 s; 60 s leaves room for clock skew and slow proxies
 * while the dedupe on `event_id` still catches a replay inside the window.
 */
const paddleOptions = replayWindowOptions(60);

const SIGNATURE = 'paddle-signature';

const paddleVerifier = timestampedListVerifier({
  header: SIGNATURE,
  entrySeparator: ';',
  signatureKey: 'h1',
  timestampKey: 'ts',
  signed: '{timestamp}:{body}',
  naming: { id: [field('event_id')], type: [field('event_type')] },
});

function paddleSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    event_id: s.id ?? `evt_${hex(12)}`,
    event_type: s.type ?? 'transaction.completed',
    occurred_at: s.at.toISOString(),
    notification_id: `ntf_${hex(12)}`,
    data: s.data ?? { id: `txn_${hex(12)}`, status: 'completed' },
  });
  return json(s, { 'Paddle-Signature': paddleSignature(s.source.secret, s.seconds, body) }, body);
}

export const paddle = defineProvider({
  name: 'paddle',
  options: paddleOptions,
  verifier: paddleVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: paddleSample,
  docs: {
    entry: { name: 'paddle', secret: 'env:PADDLE_SECRET' },
    verified: '`Paddle-Signature: ts=…;h1=…`: hex HMAC-SHA256 of `<ts>:<body>`; any `h1` may match',
    replayWindow: '±60 s (`toleranceSeconds`)',
    eventId: 'body `event_id`',
    eventType: 'body `event_type`',
    oracle: { sdk: ['@paddle/paddle-node-sdk'] },
  },
});

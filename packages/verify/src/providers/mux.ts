import { hex, json, muxSignature, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/** Mux: `Mux-Signature: t=<unix>,v1=<hex>[,v1=<hex>…]`, the HMAC-SHA256 of `<t>.<body>`. */
const muxOptions = replayWindowOptions(300);

const SIGNATURE = 'mux-signature';

const muxVerifier = timestampedListVerifier({
  header: SIGNATURE,
  naming: { id: [field('id')], type: [field('type')] },
});

function muxSample(s: Sample): SignedSample {
  const assetId = hex(12);
  const body = JSON.stringify({
    type: s.type ?? 'video.asset.ready',
    id: s.id ?? `${hex(4)}-${hex(2)}-${hex(2)}-${hex(2)}-${hex(6)}`,
    object: { type: 'asset', id: assetId },
    created_at: s.at.toISOString(),
    data: s.data ?? { id: assetId, status: 'ready' },
  });
  return json(s, { 'Mux-Signature': muxSignature(s.source.secret, s.seconds, body) }, body);
}

export const mux = defineProvider({
  name: 'mux',
  options: muxOptions,
  verifier: muxVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: muxSample,
  docs: {
    entry: { name: 'mux', secret: 'env:MUX_WEBHOOK_SECRET' },
    verified: '`Mux-Signature: t=…,v1=…`: hex HMAC-SHA256 of `<t>.<body>`; any `v1` may match',
    replayWindow: '±300 s (`toleranceSeconds`)',
    eventId: 'body `id`',
    eventType: 'body `type`',
    oracle: { sdk: ['@mux/mux-node'] },
  },
});

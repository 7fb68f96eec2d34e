import { hex, json, type Sample, type SignedSample, vercelSignature } from '@webhook-inbox/signing';
import { bodyHmac } from '../engine/body-hmac.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { noOptions } from './options.ts';

/**
 * Vercel: `x-vercel-signature: <hex HMAC-SHA1 of the body>`, keyed by the webhook's secret (an
 * integration's webhooks by its client secret). The body's `id` and `type` are signed with it;
 * no timestamp is, so replay defence is the dedupe on `id`.
 */
const SIGNATURE = 'x-vercel-signature';

const vercelVerifier = bodyHmac({
  algorithm: 'sha1',
  encoding: 'hex',
  header: SIGNATURE,
  naming: { id: [field('id')], type: [field('type')] },
});

function vercelSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    id: s.id ?? `evt_${hex(8)}`,
    type: s.type ?? 'deployment.succeeded',
    createdAt: s.at.getTime(),
    region: 'iad1',
    payload: s.data ?? {
      deployment: { id: 'dpl_sample', name: 'sample', url: 'sample.vercel.app' },
      project: { id: 'prj_sample' },
    },
  });
  return json(s, { 'x-vercel-signature': vercelSignature(s.source.secret, body) }, body);
}

export const vercel = defineProvider({
  name: 'vercel',
  options: noOptions,
  verifier: vercelVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: false,
  sample: vercelSample,
  docs: {
    entry: { name: 'vercel', secret: 'env:VERCEL_WEBHOOK_SECRET' },
    verified: '`x-vercel-signature`: hex HMAC-SHA1 of the body',
    replayWindow: 'none (no timestamp)',
    eventId: 'body `id`',
    eventType: 'body `type` (`deployment.succeeded`, …)',
    oracle: { documented: 'receiver code' },
  },
});

import { hex, json, type Sample, type SignedSample, workosSignature } from '@webhook-inbox/signing';
import { timestampedListVerifier } from '../engine/list-scheme.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { replayWindowOptions } from './options.ts';

/**
 * WorkOS: `WorkOS-Signature: t=<unix ms>, v1=<hex>`, the HMAC-SHA256 of `<t>.<body>`. Its SDK
 * allows 180 s; we refuse as far into the future too.
 */
const workosOptions = replayWindowOptions(180);

const SIGNATURE = 'workos-signature';

const workosVerifier = timestampedListVerifier({
  header: SIGNATURE,
  entrySeparator: ', ',
  timestampFormat: 'unix-ms',
  naming: { id: [field('id')], type: [field('event')] },
});

function workosSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    id: s.id ?? `event_${hex(12)}`,
    event: s.type ?? 'user.created',
    data: s.data ?? { object: 'user', id: `user_${hex(12)}`, email: 'user@example.com' },
    created_at: s.at.toISOString(),
  });
  const signature = workosSignature(s.source.secret, s.at.getTime(), body);
  return json(s, { 'WorkOS-Signature': signature }, body);
}

export const workos = defineProvider({
  name: 'workos',
  options: workosOptions,
  verifier: workosVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  sample: workosSample,
  docs: {
    entry: { name: 'workos', secret: 'env:WORKOS_WEBHOOK_SECRET' },
    verified: '`WorkOS-Signature: t=…, v1=…`: hex HMAC-SHA256 of `<t>.<body>`, `t` in milliseconds',
    replayWindow: '±180 s (`toleranceSeconds`)',
    eventId: 'body `id`',
    eventType: 'body `event`',
    oracle: { sdk: ['@workos-inc/node'] },
  },
});

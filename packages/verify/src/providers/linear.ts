import { randomUUID } from 'node:crypto';
import { json, linearSignature, type Sample, type SignedSample } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { bodyHmacVerifier } from '../engine/body-hmac.ts';
import { field, header } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { replayWindowOptions } from './options.ts';

/**
 * `Linear-Signature: <hex HMAC-SHA256 of the body>`; the send time is the body's
 * `webhookTimestamp` (unix milliseconds), within 60 s as Linear's SDK requires. The type is the
 * body's `type` (`Issue`, `Comment`, …), as the SDK routes on it; `action` stays in the payload.
 */
const linearOptions = replayWindowOptions(60);

const SIGNATURE = 'linear-signature';

function linearVerifier(
  options: z.infer<typeof linearOptions>,
  secrets: readonly string[],
): Verifier {
  return bodyHmacVerifier(
    {
      algorithm: 'sha256',
      encoding: 'hex',
      header: SIGNATURE,
      freshness: {
        source: { from: 'json', path: 'webhookTimestamp' },
        format: 'unix-ms',
        toleranceSeconds: options.toleranceSeconds,
      },
      naming: { id: [header('linear-delivery')], type: [field('type')] },
    },
    secrets,
  );
}

function linearSample(s: Sample): SignedSample {
  const type = s.type ?? 'Issue';
  const body = JSON.stringify({
    action: 'create',
    type,
    data: s.data ?? { id: randomUUID(), title: 'Sample issue' },
    createdAt: s.at.toISOString(),
    webhookTimestamp: s.at.getTime(),
    webhookId: randomUUID(),
  });
  return json(
    s,
    {
      'Linear-Delivery': s.id ?? randomUUID(),
      'Linear-Event': type,
      'Linear-Signature': linearSignature(s.source.secret, body),
    },
    body,
  );
}

export const linear = defineProvider({
  name: 'linear',
  options: linearOptions,
  verifier: linearVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  // Linear stamps each try of a delivery afresh, so a retry's bytes differ from the first's.
  restampedFields: ['webhookTimestamp'],
  sample: linearSample,
  docs: {
    entry: { name: 'linear', secret: 'env:LINEAR_SECRET' },
    verified: '`Linear-Signature`: hex HMAC-SHA256 of the body',
    replayWindow: "±60 s on the body's `webhookTimestamp` (ms)",
    eventId: 'header `Linear-Delivery`',
    eventType: 'body `type` (`Issue`, `Comment`, …)',
    oracle: { sdk: ['@linear/sdk'] },
  },
});

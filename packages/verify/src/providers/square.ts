import { randomUUID } from 'node:crypto';
import {
  hex,
  json,
  option,
  type Sample,
  type SignedSample,
  squareSignature,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { field } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';

/**
 * `x-square-hmacsha256-signature: <base64 HMAC-SHA256 of notification URL + body>`. The URL is
 * the one registered with Square, byte for byte, so it is configured rather than rebuilt.
 * No signed timestamp: replay defence is the dedupe on `event_id`.
 */
const squareOptions = z
  .object({
    /** The notification URL exactly as entered in Square's developer console. */
    notificationUrl: z.url({ protocol: /^https?$/ }),
  })
  .strict();

const SIGNATURE = 'x-square-hmacsha256-signature';
/** Square's legacy SHA-1 signature: never checked, never stored. */
const LEGACY_SIGNATURE = 'x-square-signature';

function squareVerifier(
  options: z.infer<typeof squareOptions>,
  secrets: readonly string[],
): Verifier {
  const { notificationUrl } = options;
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: singleHeader(SIGNATURE),
      signed: '{url}{body}',
      url: () => notificationUrl,
      naming: { id: [field('event_id')], type: [field('type')] },
      otherCredentialHeaders: [LEGACY_SIGNATURE],
    },
    utf8Keys(secrets),
  );
}

function squareSample(s: Sample): SignedSample {
  const body = JSON.stringify({
    merchant_id: 'MERCHANT_SAMPLE',
    type: s.type ?? 'payment.updated',
    event_id: s.id ?? randomUUID(),
    created_at: s.at.toISOString(),
    data: s.data ?? { type: 'payment', id: hex(8) },
  });
  const url = option(s.options, 'notificationUrl', '');
  return json(
    s,
    { 'X-Square-HmacSha256-Signature': squareSignature(s.source.secret, url, body) },
    body,
  );
}

const NOTIFICATION_URL = 'https://hooks.example.com/webhooks/square';

export const square = defineProvider({
  name: 'square',
  options: squareOptions,
  verifier: squareVerifier,
  credentialHeaders: [SIGNATURE, LEGACY_SIGNATURE],
  signedTimestamp: false,
  sample: squareSample,
  requiredOptions: { notificationUrl: NOTIFICATION_URL },
  docs: {
    entry: {
      name: 'square',
      secret: 'env:SQUARE_KEY',
      options: { notificationUrl: NOTIFICATION_URL },
    },
    verified: '`x-square-hmacsha256-signature`: base64 HMAC-SHA256 of `<notification URL><body>`',
    replayWindow: 'none (no signed timestamp)',
    eventId: 'body `event_id`',
    eventType: 'body `type`',
    oracle: { documented: 'test vector' },
  },
});

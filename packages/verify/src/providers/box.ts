import { randomUUID } from 'node:crypto';
import { boxSignature, json, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue, parseEventBody } from '../body.ts';
import { signedByAny, utf8Keys } from '../crypto.ts';
import { signaturesInEach } from '../engine/each-signature-header.ts';
import { bodySha256, field, nameEvent } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { checkTimestamp, parseTimestamp } from '../timestamp.ts';
import {
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Box (v2 webhooks): `BOX-SIGNATURE-PRIMARY` and `BOX-SIGNATURE-SECONDARY`, each the base64
 * HMAC-SHA256 of the body's bytes followed by `BOX-DELIVERY-TIMESTAMP` (RFC 3339), under the
 * app's primary or secondary key; either may match, so a key is rotated one at a time. Box
 * documents a payload as good for ten minutes. `BOX-DELIVERY-ID` changes on every retry while
 * the body's `id` does not, so the event is named by the body.
 */
const boxOptions = z.object({ toleranceSeconds: toleranceSeconds(600) }).strict();

const SIGNATURES = ['box-signature-primary', 'box-signature-secondary'];
const TIMESTAMP = 'box-delivery-timestamp';
// A body without an `id` (the SDK's own test vector) is named by its bytes, which a retry repeats.
const NAMING = { id: [field('id'), bodySha256], type: [field('trigger')] };

/** The only version and algorithm Box signs with; anything else is a scheme we do not know. */
function knownScheme(request: IncomingWebhook): boolean {
  return (
    headerValue(request.headers, 'box-signature-version') === '1' &&
    headerValue(request.headers, 'box-signature-algorithm') === 'HmacSHA256'
  );
}

function verifyBox(request: IncomingWebhook, keys: readonly Buffer[], tolerance: number) {
  const sent = signaturesInEach(request.headers, SIGNATURES, 'base64');
  if (!sent.ok) return sent.rejection;
  if (!knownScheme(request)) return reject('malformed_signature', 'unknown signature version');
  const timestamp = headerValue(request.headers, TIMESTAMP);
  if (timestamp === undefined || parseTimestamp(timestamp, 'iso8601') === undefined) {
    return reject('malformed_signature', 'timestamp missing or unreadable');
  }
  const message = Buffer.concat([request.rawBody, Buffer.from(timestamp, 'utf8')]);
  if (!signedByAny('sha256', keys, [message], sent.signatures)) {
    return reject('no_matching_secret');
  }
  const stale = checkTimestamp(timestamp, request.now, {
    toleranceSeconds: tolerance,
    format: 'iso8601',
  });
  if (stale) return stale;
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  return nameEvent(NAMING, { ...request, json: body.json }, body.text);
}

function boxVerifier(options: z.infer<typeof boxOptions>, secrets: readonly string[]): Verifier {
  const keys = utf8Keys(secrets);
  return {
    credentialHeaders: SIGNATURES,
    acceptsContentType: isJsonContentType,
    verify: (request): Verification => verifyBox(request, keys, options.toleranceSeconds),
  };
}

/** As Box writes it: to the second, with an offset. */
const rfc3339 = (at: Date) => `${at.toISOString().slice(0, 19)}+00:00`;

function boxSample(s: Sample): SignedSample {
  const timestamp = rfc3339(s.at);
  const body = JSON.stringify({
    type: 'webhook_event',
    id: s.id ?? randomUUID(),
    created_at: timestamp,
    trigger: s.type ?? 'FILE.UPLOADED',
    webhook: { id: '1234567890', type: 'webhook' },
    created_by: { type: 'user', id: '1111', name: 'Ada', login: 'ada@example.com' },
    source: s.data ?? { id: '2222', type: 'file', name: 'report.pdf' },
    additional_info: [],
  });
  return json(
    s,
    {
      'BOX-DELIVERY-ID': randomUUID(),
      'BOX-DELIVERY-TIMESTAMP': timestamp,
      'BOX-SIGNATURE-PRIMARY': boxSignature(s.source.secret, body, timestamp),
      'BOX-SIGNATURE-VERSION': '1',
      'BOX-SIGNATURE-ALGORITHM': 'HmacSHA256',
      'User-Agent': 'Box-WH-Client/0.1',
    },
    body,
  );
}

export const box = defineProvider({
  name: 'box',
  options: boxOptions,
  verifier: boxVerifier,
  credentialHeaders: SIGNATURES,
  signedTimestamp: true,
  sample: boxSample,
  docs: {
    entry: { name: 'box', secrets: ['env:BOX_PRIMARY_KEY', 'env:BOX_SECONDARY_KEY?'] },
    verified:
      '`BOX-SIGNATURE-PRIMARY` / `BOX-SIGNATURE-SECONDARY`: base64 HMAC-SHA256 of `<body><BOX-DELIVERY-TIMESTAMP>` under either key (version `1`, `HmacSHA256`)',
    replayWindow: '±600 s (`toleranceSeconds`)',
    eventId: "body `id` (`BOX-DELIVERY-ID` changes on every retry), else the body's SHA-256",
    eventType: 'body `trigger` (`FILE.UPLOADED`, …)',
    oracle: { sdk: ['box-node-sdk'] },
  },
});

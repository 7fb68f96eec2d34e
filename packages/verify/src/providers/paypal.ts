import { verify } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { paypalSample, SAMPLE_CERTIFICATE } from '@webhook-inbox/signing';
import { z } from 'zod';
import { headerValue, parseEventBody, readPath } from '../body.ts';
import { decodeSignature, sha256Hex } from '../crypto.ts';
import { certificateFetchOptions, FetchedCertificates } from '../engine/fetched-certificates.ts';
import { type KeyLookup, keyLookupRejection, withLookup } from '../engine/key-cache.ts';
import { defineProvider } from '../provider.ts';
import { checkTimestamp } from '../timestamp.ts';
import {
  accept,
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';

/**
 * PayPal webhooks: `PAYPAL-TRANSMISSION-SIG` is the base64 SHA256withRSA signature of
 * `<transmission id>|<transmission time>|<webhook id>|<CRC32 of the body, decimal>`, checked
 * with the certificate at `PAYPAL-CERT-URL`, fetched only from PayPal's API hosts. The secrets
 * are the webhook IDs this source accepts: the one value that ties a signature to our endpoint.
 */
const paypalOptions = z
  .object({
    ...certificateFetchOptions('^api(-m)?(\\.sandbox)?\\.paypal\\.com$'),
    /**
     * Unset by default: whether PayPal's retries keep their first transmission time is not
     * documented, and a window that refuses a retry loses the event.
     */
    toleranceSeconds: z.number().int().positive().optional(),
  })
  .strict();

type PaypalOptions = z.infer<typeof paypalOptions>;

const H = {
  id: 'paypal-transmission-id',
  time: 'paypal-transmission-time',
  signature: 'paypal-transmission-sig',
  certificate: 'paypal-cert-url',
  algorithm: 'paypal-auth-algo',
} as const;

interface Transmission {
  readonly id: string;
  readonly time: string;
  readonly signature: Buffer;
  readonly certificateUrl: string;
}

function transmissionOf(request: IncomingWebhook): Transmission | Verification {
  const [id, time, sent, certificateUrl, algorithm] = [
    H.id,
    H.time,
    H.signature,
    H.certificate,
    H.algorithm,
  ].map((name) => headerValue(request.headers, name));
  if (!sent) return reject('missing_signature');
  const signature = decodeSignature(sent, 'base64');
  if (!id || !time || !certificateUrl || !signature || id.includes('|') || time.includes('|')) {
    return reject('malformed_signature', 'PayPal transmission headers missing or unreadable');
  }
  if (algorithm !== 'SHA256withRSA') {
    return reject('malformed_signature', 'PAYPAL-AUTH-ALGO is not SHA256withRSA');
  }
  return { id, time, signature, certificateUrl };
}

/**
 * The body is covered only by its CRC32, which anyone can match with another body: the event is
 * also keyed by what is signed (and its type), so such a body under a new ID is a duplicate.
 */
function paypalEvent(request: IncomingWebhook, signed: string): Verification {
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  const eventId = readPath(body.json, 'id');
  const eventType = readPath(body.json, 'event_type');
  if (!eventId || !eventType) {
    return reject('malformed_body', 'event ID (field "id") or type (field "event_type") missing');
  }
  const key = sha256Hex(Buffer.from(`${eventType}\n${sha256Hex(Buffer.from(signed))}`));
  return accept({ eventId, eventType, body: body.text, signedContentSha256: key });
}

function verified(
  request: IncomingWebhook,
  transmission: Transmission,
  webhookIds: readonly string[],
  lookup: KeyLookup,
): Verification {
  if (!lookup.ok) return keyLookupRejection(lookup, 'signing certificate');
  const checksum = crc32(request.rawBody);
  for (const webhookId of webhookIds) {
    const signed = `${transmission.id}|${transmission.time}|${webhookId}|${checksum}`;
    if (verify('sha256', Buffer.from(signed), lookup.key, transmission.signature)) {
      return paypalEvent(request, signed);
    }
  }
  return reject('no_matching_secret');
}

function paypalVerifier(options: PaypalOptions, webhookIds: readonly string[]): Verifier {
  const certificates = FetchedCertificates.fromOptions(options);
  const { toleranceSeconds } = options;
  return {
    credentialHeaders: [H.signature],
    acceptsContentType: isJsonContentType,
    verify(request) {
      const transmission = transmissionOf(request);
      if ('kind' in transmission) return transmission;
      if (toleranceSeconds !== undefined) {
        const rule = { toleranceSeconds, format: 'iso8601' as const };
        const stale = checkTimestamp(transmission.time, request.now, rule);
        if (stale) return stale;
      }
      const allowed = certificates.check(transmission.certificateUrl);
      if (!allowed.ok) {
        return reject('malformed_signature', `PAYPAL-CERT-URL refused: ${allowed.problem}`);
      }
      const lookup = certificates.rsaKey(transmission.certificateUrl, request.now);
      return withLookup(lookup, (found) => verified(request, transmission, webhookIds, found));
    },
  };
}

export const paypal = defineProvider({
  name: 'paypal',
  options: paypalOptions,
  verifier: paypalVerifier,
  credentialHeaders: [H.signature],
  sample: paypalSample,
  sampleOptions: { certificate: SAMPLE_CERTIFICATE },
  signedTimestamp: false,
  sampleSecret: '1JE4291016473214C',
  docs: {
    entry: { name: 'paypal', secret: 'env:PAYPAL_WEBHOOK_ID' },
    verified:
      '`PAYPAL-TRANSMISSION-SIG`: SHA256withRSA over `<transmission id>|<time>|<webhook id>|<CRC32 of the body>`, with the X.509 certificate at `PAYPAL-CERT-URL`, fetched over https only from `api(-m)(.sandbox).paypal.com` (`certificateHostPattern`) and cached; the secret is the webhook ID',
    replayWindow: 'none by default (`toleranceSeconds` on `PAYPAL-TRANSMISSION-TIME`)',
    eventId: 'body `id`, keyed also by the signed transmission (the body is only CRC32-covered)',
    eventType: 'body `event_type`',
    oracle: { documented: 'receiver code' },
  },
});

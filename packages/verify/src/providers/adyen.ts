import { adyenSample, adyenSignature } from '@webhook-inbox/signing';
import type { z } from 'zod';
import { type JsonObject, parseEventBody } from '../body.ts';
import { safeEqualText } from '../crypto.ts';
import { bodySha256, fixed, nameEvent } from '../naming.ts';
import { type BatchItem, defineProvider } from '../provider.ts';
import {
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';
import { arrayAt, itemField } from './batch-shapes.ts';
import { noOptions } from './options.ts';

/**
 * Adyen payment webhooks: `notificationItems[].NotificationRequestItem`, each signed on its own
 * (`additionalData.hmacSignature`, see `adyenSignature`) under the hex HMAC key from the
 * Customer Area. No header is signed, so every item must verify or the request is refused.
 */
export const adyenOptions = noOptions;

const HEX_KEY = /^(?:[0-9a-fA-F]{2})+$/;

const isObject = (value: unknown): value is JsonObject =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

function itemProblem(item: unknown, keys: readonly string[]): Verification | undefined {
  if (!isObject(item) || !isObject(item.NotificationRequestItem)) {
    return reject('malformed_body', 'expected notificationItems[].NotificationRequestItem');
  }
  const notification = item.NotificationRequestItem;
  const sent = isObject(notification.additionalData)
    ? notification.additionalData.hmacSignature
    : undefined;
  if (typeof sent !== 'string' || sent === '') return reject('missing_signature');
  // Constant-time: never ===.
  const matches = keys.some((key) => safeEqualText(adyenSignature(key, notification), sent));
  return matches ? undefined : reject('no_matching_secret');
}

function verifyItems(request: IncomingWebhook, keys: readonly string[]): Verification {
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  const items = body.json.notificationItems;
  if (!Array.isArray(items) || items.length === 0) {
    return reject('malformed_body', 'expected a non-empty notificationItems[]');
  }
  for (const item of items) {
    const problem = itemProblem(item, keys);
    if (problem) return problem;
  }
  return nameEvent(
    // The request as a whole is never stored: its batch rules name each item.
    { id: [bodySha256], type: [fixed('batch')] },
    { headers: request.headers, rawBody: request.rawBody, json: body.json },
    body.text,
  );
}

function adyenVerifier(
  _options: z.infer<typeof adyenOptions>,
  secrets: readonly string[],
): Verifier {
  for (const secret of secrets) {
    if (!HEX_KEY.test(secret))
      throw new Error('an adyen HMAC key is hex, as the Customer Area shows it');
  }
  return {
    credentialHeaders: [],
    acceptsContentType: isJsonContentType,
    verify: (request) => verifyItems(request, secrets),
  };
}

/**
 * Adyen's documented duplicate key: the same pspReference and eventCode, with the same success
 * (a failed then successful AUTHORISATION of one payment are two events).
 */
const adyenEventId = (item: BatchItem) => {
  const { pspReference, eventCode, success } = item.json;
  if (typeof pspReference !== 'string' || typeof eventCode !== 'string') return undefined;
  return `${pspReference}:${eventCode}:${String(success ?? '')}`;
};

export const adyen = defineProvider({
  name: 'adyen',
  options: adyenOptions,
  verifier: adyenVerifier,
  credentialHeaders: [],
  signedTimestamp: false,
  batch: {
    split: arrayAt('notificationItems', 'NotificationRequestItem'),
    eventId: adyenEventId,
    eventType: itemField('eventCode'),
    whenEmpty: 'refused',
    reply: '[accepted]',
    docs: {
      item: 'each `notificationItems[].NotificationRequestItem`, `live` in the envelope',
      empty: '400: with no item nothing is signed',
    },
  },
  sample: adyenSample,
  sampleSecret: '44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550c48ec2acf6ba056',
  docs: {
    entry: { name: 'adyen', secret: 'env:ADYEN_HMAC_KEY' },
    verified:
      "each item's `additionalData.hmacSignature`: base64 HMAC-SHA256 (hex key) of `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`; every item must verify",
    replayWindow: 'none (no signed timestamp)',
    eventId: "each item's `pspReference:eventCode:success`",
    eventType: "each item's `eventCode`",
    oracle: { sdk: ['@adyen/api-library'] },
  },
});

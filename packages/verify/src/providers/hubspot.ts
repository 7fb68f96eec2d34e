import {
  hubspotSignature,
  json,
  option,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { utf8Keys } from '../crypto.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { singleHeader } from '../engine/signature-header.ts';
import { bodySha256, fixed } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { publicUrlOf, publicUrlOption } from '../public-url.ts';
import type { Verifier } from '../types.ts';
import { arrayBody, itemField, readArrayBody } from './batch-shapes.ts';
import { toleranceSeconds } from './options.ts';

/**
 * HubSpot webhooks, signature v3: `X-HubSpot-Signature-v3` is the base64 HMAC-SHA256, under the
 * app's client secret, of `POST` + the full URI HubSpot requested + the body + the
 * `X-HubSpot-Request-Timestamp` (unix milliseconds), which HubSpot says to refuse past five
 * minutes. The URI is our public URL (`publicUrl`, as HubSpot sees it) with the path and query
 * as received. The body is a JSON array of events, each with its own `eventId`.
 */
const hubspotOptions = z
  .object({ publicUrl: publicUrlOption, toleranceSeconds: toleranceSeconds(300) })
  .strict();

const SIGNATURE = 'x-hubspot-signature-v3';
const TIMESTAMP = 'x-hubspot-request-timestamp';

// HubSpot signs the URI with these escapes decoded (its documentation's list): a path or query
// holding one is compared as HubSpot wrote it.
const DECODED_ESCAPES: Readonly<Record<string, string>> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};
const signedUri = (uri: string) =>
  uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (encoded) => DECODED_ESCAPES[encoded.toUpperCase()] ?? encoded,
  );

function hubspotVerifier(
  options: z.infer<typeof hubspotOptions>,
  secrets: readonly string[],
): Verifier {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: singleHeader(SIGNATURE),
      signed: 'POST{url}{body}{timestamp}',
      url: (pathAndQuery) => signedUri(publicUrlOf(options.publicUrl, pathAndQuery)),
      freshness: headerTimestamp(TIMESTAMP, 'unix-ms', options.toleranceSeconds),
      // The request as a whole is never stored: its batch rules name each event.
      naming: { id: [bodySha256], type: [fixed('batch')] },
      readBody: readArrayBody,
    },
    utf8Keys(secrets),
  );
}

function hubspotSample(s: Sample): SignedSample {
  const timestamp = s.at.getTime();
  const body = JSON.stringify([
    {
      eventId: s.id ?? Math.floor(Math.random() * 2 ** 31),
      subscriptionId: 2_114_009,
      portalId: 62_515,
      appId: 1_160_452,
      occurredAt: timestamp - 1_000,
      subscriptionType: s.type ?? 'contact.creation',
      attemptNumber: 0,
      objectId: 123,
      changeSource: 'CRM',
      changeFlag: 'NEW',
      ...s.data,
    },
  ]);
  const base = option(s.options, 'publicUrl', PUBLIC_URL).replace(/\/+$/, '');
  const uri = `${base}${s.path}`;
  return json(
    s,
    {
      'X-HubSpot-Request-Timestamp': String(timestamp),
      'X-HubSpot-Signature-v3': hubspotSignature(s.source.secret, 'POST', uri, body, timestamp),
      'X-HubSpot-Signature-Version': 'v3',
    },
    body,
  );
}

const PUBLIC_URL = 'https://hooks.example.com';

export const hubspot = defineProvider({
  name: 'hubspot',
  options: hubspotOptions,
  verifier: hubspotVerifier,
  credentialHeaders: [SIGNATURE],
  signedTimestamp: true,
  // HubSpot counts `attemptNumber` up on each retry of an event.
  restampedFields: ['attemptNumber'],
  requiredOptions: { publicUrl: PUBLIC_URL },
  batch: {
    split: arrayBody,
    eventId: itemField('eventId'),
    eventType: itemField('subscriptionType'),
    whenEmpty: 'acked',
    docs: { item: 'each event of the array', empty: 'acked, nothing stored' },
  },
  sample: hubspotSample,
  docs: {
    entry: {
      name: 'hubspot',
      secret: 'env:HUBSPOT_CLIENT_SECRET',
      options: { publicUrl: PUBLIC_URL },
    },
    verified:
      '`X-HubSpot-Signature-v3`: base64 HMAC-SHA256 of `POST` + the public URI + the body + `X-HubSpot-Request-Timestamp`',
    replayWindow: '300 s (`toleranceSeconds`)',
    eventId: "each event's `eventId`",
    eventType: "each event's `subscriptionType` (`contact.creation`, …)",
    oracle: { sdk: ['@hubspot/api-client'] },
  },
});

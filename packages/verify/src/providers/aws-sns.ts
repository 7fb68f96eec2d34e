import { verify } from 'node:crypto';
import {
  awsSnsSample,
  SAMPLE_CERTIFICATE,
  SNS_SIGNED_FIELDS,
  type SnsMessageType,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { type JsonObject, parseEventBody } from '../body.ts';
import { decodeSignature } from '../crypto.ts';
import {
  type CertificateHosts,
  certificateFetchOptions,
  FetchedCertificates,
  hostsOf,
} from '../engine/fetched-certificates.ts';
import { type KeyLookup, keyLookupRejection, withLookup } from '../engine/key-cache.ts';
import { defineProvider } from '../provider.ts';
import { checkTimestamp } from '../timestamp.ts';
import {
  accept,
  type IncomingWebhook,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';
import { toleranceSeconds } from './options.ts';

/**
 * Amazon SNS HTTP(S) subscriptions: the body is the message, signed (SignatureVersion 1:
 * SHA1withRSA, 2: SHA256withRSA) over `<name>\n<value>\n` of its fields in a fixed order, with
 * the certificate at `SigningCertURL`, fetched only from an allow-listed host. Anyone can sign
 * through a topic of their own, so the secrets are the topic ARNs this source accepts.
 */
export const SNS_HOST_PATTERN = '^sns\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?$';

const snsOptions = z
  .object({
    ...certificateFetchOptions(SNS_HOST_PATTERN),
    /** SNS retries for up to an hour under a custom delivery policy; `Timestamp` is the publish time. */
    toleranceSeconds: toleranceSeconds(3_600),
  })
  .strict();

type SnsOptions = z.infer<typeof snsOptions>;

type MessageType = SnsMessageType;

const isMessageType = (type: unknown): type is MessageType =>
  typeof type === 'string' && Object.hasOwn(SNS_SIGNED_FIELDS, type);

const ALGORITHMS = { '1': 'sha1', '2': 'sha256' } as const;

/** What SNS signs: absent optional fields (a Notification's Subject) are left out. */
export function snsStringToSign(message: JsonObject, type: MessageType): string | undefined {
  let text = '';
  for (const field of SNS_SIGNED_FIELDS[type]) {
    const value = message[field];
    if (value === undefined || (field === 'Subject' && value === null)) {
      if (field === 'Subject') continue;
      return undefined;
    }
    if (typeof value !== 'string') return undefined;
    text += `${field}\n${value}\n`;
  }
  return text;
}

interface SignedMessage {
  readonly type: MessageType;
  readonly signed: string;
  readonly signature: Buffer;
  readonly algorithm: 'sha1' | 'sha256';
  readonly certificateUrl: string;
  readonly topicArn: string;
  readonly messageId: string;
  readonly timestamp: string;
}

/** The message's signed parts, or why it is not an SNS message; nothing verified yet. */
function signedMessage(json: JsonObject): SignedMessage | Verification {
  const { Type: type, Signature, SignatureVersion: version, SigningCertURL: url } = json;
  if (Signature === undefined) return reject('missing_signature');
  if (!isMessageType(type)) return reject('malformed_signature', 'unknown SNS message Type');
  if (version !== '1' && version !== '2') {
    return reject('malformed_signature', 'SignatureVersion is neither 1 nor 2');
  }
  const signature = typeof Signature === 'string' && decodeSignature(Signature, 'base64');
  const signed = snsStringToSign(json, type);
  const { TopicArn: topicArn, MessageId: messageId, Timestamp: timestamp } = json;
  if (!signature || signed === undefined || typeof url !== 'string') {
    return reject('malformed_signature', 'not a signed SNS message');
  }
  return {
    type,
    signed,
    signature,
    algorithm: ALGORITHMS[version],
    certificateUrl: url,
    topicArn: topicArn as string,
    messageId: messageId as string,
    timestamp: timestamp as string,
  };
}

function verified(message: SignedMessage, lookup: KeyLookup, text: string): Verification {
  if (!lookup.ok) return keyLookupRejection(lookup, 'signing certificate');
  const { algorithm, signed, signature } = message;
  if (!verify(algorithm, Buffer.from(signed, 'utf8'), lookup.key, signature)) {
    return reject('no_matching_secret');
  }
  return accept({ eventId: message.messageId, eventType: message.type, body: text });
}

/** A `.pem` on an allow-listed host, checked before anything is fetched. */
function certificateUrlProblem(certificates: FetchedCertificates, url: string) {
  const allowed = certificates.check(url);
  if (!allowed.ok) return allowed.problem;
  return allowed.url.pathname.endsWith('.pem') ? undefined : 'the path does not end in .pem';
}

function snsVerifier(options: SnsOptions, secrets: readonly string[]): Verifier {
  const topics = new Set(secrets);
  const certificates = FetchedCertificates.fromOptions(options);
  const rule = { toleranceSeconds: options.toleranceSeconds, format: 'iso8601' as const };
  return {
    credentialHeaders: [],
    // SNS posts `text/plain; charset=UTF-8` whatever the message holds.
    acceptsContentType: (type) => /^(text\/plain|application\/json)\s*(;|$)/i.test(type),
    verify(request: IncomingWebhook) {
      const body = parseEventBody(request.rawBody);
      if (!body.ok) return reject('malformed_signature', 'not an SNS message');
      const message = signedMessage(body.json);
      if ('kind' in message) return message;
      // Refused before any fetch: a foreign topic, a replay or a URL off the list costs nothing.
      if (!topics.has(message.topicArn)) return reject('no_matching_secret');
      const stale = checkTimestamp(message.timestamp, request.now, rule);
      if (stale) return stale;
      const problem = certificateUrlProblem(certificates, message.certificateUrl);
      if (problem) return reject('malformed_signature', `SigningCertURL refused: ${problem}`);
      const lookup = certificates.rsaKey(message.certificateUrl, request.now);
      return withLookup(lookup, (found) => verified(message, found, body.text));
    },
  };
}

/**
 * The hosts a source's SubscribeURL may be visited on: those its certificates come from. Its
 * other options are the verifier's to check, at the ingress's start.
 */
export const snsConfirmationHosts = (options: unknown): CertificateHosts =>
  hostsOf(z.object(certificateFetchOptions(SNS_HOST_PATTERN)).parse(options ?? {}));

export const awsSns = defineProvider({
  name: 'aws-sns',
  options: snsOptions,
  verifier: snsVerifier,
  credentialHeaders: [],
  sample: awsSnsSample,
  sampleOptions: { certificate: SAMPLE_CERTIFICATE },
  signedTimestamp: true,
  sampleSecret: 'arn:aws:sns:us-east-1:123456789012:sample-topic',
  handshake: {
    description:
      '`SubscriptionConfirmation`: stored, and confirmed by the worker (a GET to its `SubscribeURL`, same host allow-list)',
  },
  docs: {
    senders: 'Amazon SNS HTTP(S) subscriptions',
    entry: { name: 'orders-topic', secret: 'arn:aws:sns:eu-west-1:123456789012:orders' },
    verified:
      "the body's `Signature` (SignatureVersion 1 SHA1withRSA, 2 SHA256withRSA) over the message's fields, with the X.509 certificate at `SigningCertURL`, fetched over https only from `sns.<region>.amazonaws.com` (`certificateHostPattern`) and cached; the secrets are the accepted `TopicArn`s",
    replayWindow: '±3600 s on the signed `Timestamp` (`toleranceSeconds`)',
    eventId: 'body `MessageId`',
    eventType:
      'body `Type` (`Notification`, `SubscriptionConfirmation`, `UnsubscribeConfirmation`): message attributes are not signed',
    oracle: { sdk: ['sns-validator'] },
  },
});

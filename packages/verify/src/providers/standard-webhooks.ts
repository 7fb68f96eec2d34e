import {
  hex,
  json,
  option,
  type Sample,
  type SignedSample,
  setPath,
  standardWebhooksSampleSignature,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { anyOf } from '../engine/any-of.ts';
import { headerTimestamp, hmacSchemeVerifier } from '../engine/scheme.ts';
import { type EventNaming, field, fixed, header } from '../naming.ts';
import { defineProvider, type Oracle } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { toleranceSeconds } from './options.ts';
import { isPublicKey, standardWebhooksV1aVerifier } from './standard-webhooks-v1a.ts';

/**
 * The Standard Webhooks spec (Svix, Clerk, Resend, …): `webhook-id`, `webhook-timestamp` and
 * `webhook-signature: v1,<base64> [v1,<base64>…]` (or the same under `svix-*`), the
 * HMAC-SHA256 of `<id>.<timestamp>.<body>` keyed by the base64 after `whsec_`; a `whpk_`
 * public key instead checks the spec's Ed25519 `v1a` signatures.
 */
const standardWebhooksOptions = z
  .object({
    toleranceSeconds: toleranceSeconds(300),
    /** A JSON path in the body with the event type. */
    typeField: z.string().min(1).default('type'),
    /** One type for every event of this source, whatever the body says. */
    eventType: z.string().min(1).optional(),
  })
  .strict()
  .refine((o) => o.typeField === 'type' || o.eventType === undefined, {
    path: ['eventType'],
    message: 'use typeField or eventType, not both',
  });

type StandardWebhooksOptions = z.infer<typeof standardWebhooksOptions>;

/**
 * The spec leaves the payload's shape to the sender and its libraries never read a type, so a
 * body without one (the spec's own example; Replicate's predictions) is still an event.
 */
export const DEFAULT_STANDARD_WEBHOOKS_TYPE = 'standard-webhooks';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The key is the base64 after the prefix; a secret that is not base64 is a configuration error. */
function standardWebhooksKey(secret: string): Buffer {
  const encoded = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!BASE64.test(encoded)) {
    throw new Error('a standard-webhooks secret is "whsec_" followed by base64');
  }
  return Buffer.from(encoded, 'base64');
}

const ID = ['webhook-id', 'svix-id'];
const SIGNATURE = ['webhook-signature', 'svix-signature'];
const TIMESTAMP = ['webhook-timestamp', 'svix-timestamp'];

function hmacVerifier(options: StandardWebhooksOptions, naming: EventNaming, secrets: string[]) {
  return hmacSchemeVerifier(
    {
      algorithm: 'sha256',
      encoding: 'base64',
      signature: {
        kind: 'list',
        names: SIGNATURE,
        entrySeparator: ' ',
        keySeparator: ',',
        signatureKey: 'v1',
      },
      signed: '{id}.{timestamp}.{body}',
      signedIdHeader: ID,
      freshness: headerTimestamp(TIMESTAMP, 'unix-seconds', options.toleranceSeconds),
      naming,
    },
    secrets.map(standardWebhooksKey),
  );
}

function standardWebhooksVerifier(
  options: StandardWebhooksOptions,
  secrets: readonly string[],
): Verifier {
  const naming: EventNaming = {
    id: [header(...ID)],
    type:
      options.eventType === undefined
        ? [field(options.typeField), fixed(DEFAULT_STANDARD_WEBHOOKS_TYPE)]
        : [fixed(options.eventType)],
  };
  const publicKeys = secrets.filter(isPublicKey);
  const symmetric = secrets.filter((secret) => !isPublicKey(secret));
  const v1a = standardWebhooksV1aVerifier(
    {
      idHeaders: ID,
      signatureHeaders: SIGNATURE,
      timestampHeaders: TIMESTAMP,
      toleranceSeconds: options.toleranceSeconds,
      naming,
    },
    publicKeys,
  );
  if (symmetric.length === 0) return v1a;
  const v1 = hmacVerifier(options, naming, symmetric);
  return publicKeys.length === 0 ? v1 : anyOf([v1, v1a]);
}

function standardWebhooksSample(s: Sample): SignedSample {
  const id = s.id ?? `msg_${hex(12)}`;
  const event: Record<string, unknown> = {
    timestamp: s.at.toISOString(),
    data: s.data ?? { id: `user_${hex(8)}`, email_addresses: [] },
  };
  if (option(s.options, 'eventType') === undefined) {
    setPath(event, option(s.options, 'typeField', 'type'), s.type ?? 'user.created');
  }
  const body = JSON.stringify(event);
  const signature = standardWebhooksSampleSignature(s.source.secret, id, s.seconds, body);
  return json(
    s,
    { 'webhook-id': id, 'webhook-timestamp': String(s.seconds), 'webhook-signature': signature },
    body,
  );
}

const standardWebhooksModule = {
  options: standardWebhooksOptions,
  verifier: standardWebhooksVerifier,
  credentialHeaders: SIGNATURE,
  signedTimestamp: true,
  sample: standardWebhooksSample,
  sampleSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
} as const;

const standardWebhooksDocs = {
  verified:
    '`webhook-signature` (or `svix-signature`): space-separated `v1,<base64>` of HMAC-SHA256 over `<id>.<timestamp>.<body>`, keyed by the base64 after `whsec_`; with a `whpk_` public key, `v1a,<base64>` Ed25519 signatures of the same',
  replayWindow: '±300 s (`toleranceSeconds`)',
  eventId: 'header `webhook-id` / `svix-id`',
  eventType: `body \`type\` (\`typeField\` / \`eventType\`), else \`${DEFAULT_STANDARD_WEBHOOKS_TYPE}\``,
} as const;

const SPEC_LIBRARIES: Oracle = { sdk: ['standardwebhooks', 'svix'] };

export const standardWebhooks = defineProvider({
  ...standardWebhooksModule,
  name: 'standard-webhooks',
  docs: {
    senders: 'Svix, Clerk, Resend, …',
    entry: { name: 'clerk', secret: 'env:CLERK_SECRET' },
    ...standardWebhooksDocs,
    oracle: SPEC_LIBRARIES,
  },
});

/**
 * A sender that follows the spec, under its own name in the sources file: the same verifier,
 * options and sample, and the spec's docs row with the sender's entry (and its own SDK, if any).
 */
export const standardWebhooksAlias = <const Name extends string>(
  name: Name,
  entry: Readonly<Record<string, unknown>>,
  oracle: Oracle = SPEC_LIBRARIES,
) =>
  defineProvider({
    ...standardWebhooksModule,
    name,
    docs: { senders: 'Standard Webhooks', entry, ...standardWebhooksDocs, oracle },
  });

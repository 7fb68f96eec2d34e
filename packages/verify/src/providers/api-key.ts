import { json, namedEvent, option, type Sample, type SignedSample } from '@webhook-inbox/signing';
import { z } from 'zod';
import { bodySha256 } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import type { Verifier } from '../types.ts';
import { checkNaming, namingFrom, namingShape } from './naming-options.ts';
import { oneOf, sharedSecretVerifier } from './shared-secret.ts';

/**
 * A shared key sent as it is (`Authorization: ApiKey <key>`), for senders that cannot sign. Without an ID
 * field or header, the body's SHA-256 stands in for the event ID, so resends dedupe.
 */
const apiKeyOptions = z
  .object({
    header: z.string().min(1).default('authorization'),
    prefix: z.string().default('ApiKey '),
    ...namingShape,
  })
  .strict()
  .superRefine(checkNaming);

type ApiKeyOptions = z.infer<typeof apiKeyOptions>;

function apiKeyVerifier(options: ApiKeyOptions, secrets: readonly string[]): Verifier {
  return sharedSecretVerifier({
    header: options.header,
    check: oneOf(secrets.map((key) => `${options.prefix}${key}`)),
    naming: namingFrom(options, bodySha256),
  });
}

function apiKeySample(s: Sample): SignedSample {
  const { body, headers } = namedEvent(s);
  const header = option(s.options, 'header', 'authorization');
  headers[header] = `${option(s.options, 'prefix', 'ApiKey ')}${s.source.secret}`;
  return json(s, headers, JSON.stringify(body));
}

export const apiKey = defineProvider({
  name: 'api-key',
  options: apiKeyOptions,
  verifier: apiKeyVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  sample: apiKeySample,
  docs: {
    entry: { name: 'polka', secret: 'env:POLKA_KEY' },
    verified:
      '`Authorization: ApiKey <key>` (header and prefix configurable); the body is not covered',
    replayWindow: 'none',
    eventId: "configurable; the body's SHA-256",
    eventType: 'configurable; body `type`',
    oracle: 'none',
  },
});

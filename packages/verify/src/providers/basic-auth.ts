import {
  basicAuthorization,
  json,
  namedEvent,
  type Sample,
  type SignedSample,
} from '@webhook-inbox/signing';
import { z } from 'zod';
import { decodeUtf8 } from '../body.ts';
import { decodeSignature, equalsAny } from '../crypto.ts';
import { bodySha256 } from '../naming.ts';
import { defineProvider } from '../provider.ts';
import { reject, type Verification, type Verifier } from '../types.ts';
import { checkNaming, namingFrom, namingShape } from './naming-options.ts';
import { sharedSecretVerifier } from './shared-secret.ts';

/**
 * For senders that only take credentials in the URL (`https://user:password@host/…`), which
 * arrive as `Authorization: Basic …`. Each secret is a `user:password` string.
 */
const basicAuthOptions = z
  .object({ ...namingShape })
  .strict()
  .superRefine(checkNaming);

type BasicAuthOptions = z.infer<typeof basicAuthOptions>;

const BASIC = /^basic +(\S+)$/i;

function credentialsOf(sent: string): string | undefined {
  const token = BASIC.exec(sent)?.[1];
  const bytes = token === undefined ? undefined : decodeSignature(token, 'base64');
  return bytes === undefined ? undefined : decodeUtf8(bytes);
}

/** The check of an `Authorization: Basic …` header against `user:password` secrets. */
export function basicAuthCheck(
  provider: string,
  secrets: readonly string[],
): (sent: string) => Verification | undefined {
  if (!secrets.every((secret) => secret.indexOf(':') > 0)) {
    throw new Error(`${provider} secrets must be "user:password"`);
  }
  return (sent) => {
    const credentials = credentialsOf(sent);
    if (credentials === undefined) return reject('malformed_signature');
    return equalsAny(credentials, secrets) ? undefined : reject('no_matching_secret');
  };
}

function basicAuthVerifier(options: BasicAuthOptions, secrets: readonly string[]): Verifier {
  return sharedSecretVerifier({
    header: 'authorization',
    check: basicAuthCheck('basic-auth', secrets),
    naming: namingFrom(options, bodySha256),
  });
}

function basicAuthSample(s: Sample): SignedSample {
  const { body, headers } = namedEvent(s);
  headers.Authorization = basicAuthorization(s.source.secret);
  return json(s, headers, JSON.stringify(body));
}

export const basicAuth = defineProvider({
  name: 'basic-auth',
  options: basicAuthOptions,
  verifier: basicAuthVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: false,
  sample: basicAuthSample,
  sampleSecret: 'user:password',
  docs: {
    entry: { name: 'legacy', secret: 'env:LEGACY_USER_PASSWORD' },
    verified: '`Authorization: Basic …` against `user:password` secrets; the body is not covered',
    replayWindow: 'none',
    eventId: "configurable; the body's SHA-256",
    eventType: 'configurable; body `type`',
    oracle: { documented: 'test vector' },
  },
});

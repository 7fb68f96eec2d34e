import { z } from 'zod';
import { safeEqualText } from '../crypto.ts';
import { bodySha256 } from '../naming.ts';
import { reject, type Verifier } from '../types.ts';
import { checkNaming, namingFrom, namingShape } from './naming-options.ts';
import { sharedSecretVerifier } from './shared-secret.ts';

/**
 * A shared key sent as it is (`Authorization: ApiKey <key>`), for senders that cannot sign. Without an ID
 * field or header, the body's SHA-256 stands in for the event ID, so resends dedupe.
 */
export const apiKeyOptions = z
  .object({
    header: z.string().min(1).default('authorization'),
    prefix: z.string().default('ApiKey '),
    ...namingShape,
  })
  .strict()
  .superRefine(checkNaming);

export type ApiKeyOptions = z.infer<typeof apiKeyOptions>;

export function apiKeyVerifier(options: ApiKeyOptions, secrets: readonly string[]): Verifier {
  const expected = secrets.map((key) => `${options.prefix}${key}`);
  return sharedSecretVerifier({
    header: options.header,
    check: (sent) =>
      expected.some((value) => safeEqualText(sent, value))
        ? undefined
        : reject('no_matching_secret'),
    naming: namingFrom(options, bodySha256),
  });
}

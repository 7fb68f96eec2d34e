import {
  commonOptions,
  DEFAULT_EVENT_LIMITS,
  type EventLimits,
  withEventRules,
} from './event-rules.ts';
import { providerNamed, providerNames } from './registry.ts';
import type { Verifier } from './types.ts';

export { parseJsonBody } from './body.ts';
export { isCredentialHeader, KNOWN_CREDENTIAL_HEADERS } from './credential-headers.ts';
export { allowListedUrl, type CertificateHosts } from './engine/fetched-certificates.ts';
export {
  DEFAULT_EVENT_LIMITS,
  type EventLimits,
  MAX_EVENT_ID_LENGTH,
  MAX_EVENT_TYPE_LENGTH,
} from './event-rules.ts';
export type { Batch, BatchItem, Handshake, Oracle, Provider, ProviderDocs } from './provider.ts';
export { snsConfirmationHosts } from './providers/aws-sns.ts';
export { providersTable, withProvidersTable } from './providers-table.ts';
export {
  isProviderName,
  PROVIDERS,
  type ProviderName,
  providerNamed,
  providerNames,
} from './registry.ts';
export { signHandshake, signSample } from './sample.ts';
export type {
  HandshakeAnswer,
  HandshakeVerification,
  ImmediateVerifier,
  IncomingWebhook,
  Rejection,
  RejectionReason,
  Verification,
  VerifiedEvent,
  Verifier,
} from './types.ts';
export { isJsonContentType } from './types.ts';

/** Whether a provider always refuses a request without a fresh signed timestamp. */
export const hasSignedTimestamp = (provider: string): boolean =>
  providerNamed(provider)?.signedTimestamp ?? false;

/**
 * Validates a provider's options and builds its verifier, bounded by `limits`. Throws a
 * z.ZodError for bad options, which the sources loader turns into a one-line start-up error,
 * and an Error for a provider it does not know or a secret the provider cannot use.
 */
export function createVerifier(
  provider: string,
  options: unknown,
  secrets: readonly string[],
  limits: EventLimits = DEFAULT_EVENT_LIMITS,
): Verifier {
  const found = providerNamed(provider);
  if (!found) {
    throw new Error(`unknown provider "${provider}" (known: ${providerNames.join(', ')})`);
  }
  const { dedupeBySignedContent, ...own } = commonOptions.parse(options ?? {});
  const { restampedFields, batch } = found;
  return withEventRules(found.create(own, secrets), {
    limits,
    dedupeBySignedContent,
    restampedFields,
    batch,
  });
}

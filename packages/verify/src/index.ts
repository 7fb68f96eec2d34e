import { apiKeyOptions, apiKeyVerifier } from './providers/api-key.ts';
import { hmacOptions, hmacVerifier } from './providers/hmac.ts';
import type { Verifier } from './types.ts';

export type {
  IncomingWebhook,
  RejectionReason,
  Verification,
  VerifiedEvent,
  Verifier,
} from './types.ts';
export { parseJsonBody } from './body.ts';
export { isJsonContentType } from './types.ts';

/** Each provider: the schema of its `options` in the sources file, and how to build its verifier. */
const providers = {
  hmac: { options: hmacOptions, create: hmacVerifier },
  'api-key': { options: apiKeyOptions, create: apiKeyVerifier },
} as const;

export type ProviderName = keyof typeof providers;
export const providerNames = Object.keys(providers) as ProviderName[];

export function isProviderName(name: string): name is ProviderName {
  return Object.hasOwn(providers, name);
}

/**
 * Validates a provider's options and builds its verifier. Throws a z.ZodError for bad options,
 * which the sources loader turns into a one-line start-up error.
 */
export function createVerifier(
  provider: ProviderName,
  options: unknown,
  secrets: readonly string[],
): Verifier {
  switch (provider) {
    case 'hmac':
      return providers.hmac.create(providers.hmac.options.parse(options ?? {}), secrets);
    case 'api-key':
      return providers['api-key'].create(providers['api-key'].options.parse(options ?? {}), secrets);
    default: {
      const unreachable: never = provider;
      throw new Error(`unknown provider ${String(unreachable)}`);
    }
  }
}


import { PROVIDERS } from './registry.ts';

/**
 * The one place that says which request headers carry a credential: the logger censors them and
 * the ingress does not store them. Two parts: every provider's own header names, as its module
 * declares them, and a pattern for anything named like a credential, for the headers a sender
 * adds on its own. A source's configured names (a generic provider's `header`) come from its
 * verifier.
 */

/** The headers any HTTP client may send a credential in, whatever the provider. */
const HTTP_CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Every provider's default credential headers, and HTTP's own, lower-case. */
export const KNOWN_CREDENTIAL_HEADERS: readonly string[] = [
  ...new Set([...HTTP_CREDENTIAL_HEADERS, ...PROVIDERS.flatMap((p) => p.credentialHeaders)]),
].sort();

// Names are matched word by word (`x-api-key` is x, api, key) so that `x-design-id` keeps its
// header while `x-sig`, `x-hub-signature-256` and `x-shopify-hmac-sha256` lose theirs.
const CREDENTIAL_PART =
  /auth|cookie|token|secret|signature|hmac|passw|passphrase|passcode|credential|apikey|privatekey/;
const CREDENTIAL_WORD =
  /^(keys?|sig\d*|pass|pwd|otp|mfa|private|sas|session|jwt|bearer|verification)$/;

const KNOWN = new Set(KNOWN_CREDENTIAL_HEADERS);

/** Whether a header, by its name alone, may carry a credential. Asked for every stored header. */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    KNOWN.has(lower) ||
    lower.split(/[-_.]/).some((word) => CREDENTIAL_PART.test(word) || CREDENTIAL_WORD.test(word))
  );
}

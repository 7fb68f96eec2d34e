/**
 * The one place that says which request headers carry a credential: the logger censors them and
 * the ingress does not store them. Two parts: the names HTTP and every provider use by default
 * (the verifier's tests check that each provider's own names are listed here), and a pattern for
 * anything named like a credential, for the headers a sender adds on its own.
 */

/** HTTP's own credential headers and every provider's default ones, lower-case and sorted. */
export const KNOWN_CREDENTIAL_HEADERS: readonly string[] = [
  'authorization',
  'cookie',
  'linear-signature',
  'paddle-signature',
  'plaid-verification',
  'proxy-authorization',
  'set-cookie',
  'shopify-hmac-sha256',
  'stripe-signature',
  'svix-signature',
  'telnyx-signature-ed25519',
  'webhook-signature',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-shopify-hmac-sha256',
  'x-signature',
  'x-signature-ed25519',
  'x-slack-signature',
  'x-square-hmacsha256-signature',
  'x-square-signature',
  'x-twilio-email-event-webhook-signature',
  'x-twilio-signature',
];

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

import type { IncomingHttpHeaders } from 'node:http';

// Beyond each provider's own credential headers, anything named like a credential is dropped
// before the headers are stored: the inbox is read by operators, not only by the pipeline.
// Names are matched word by word (`x-api-key` is x, api, key) so that `x-design-id` keeps its
// header while `x-sig`, `x-hub-signature-256` and `x-shopify-hmac-sha256` lose theirs.
const CREDENTIAL_PART = /auth|cookie|token|secret|signature|hmac|passw|credential|apikey/;
const CREDENTIAL_WORD = /^(key|sig|pass|session|jwt|bearer)$/;

export function isCredentialHeader(name: string): boolean {
  return name
    .toLowerCase()
    .split(/[-_.]/)
    .some((word) => CREDENTIAL_PART.test(word) || CREDENTIAL_WORD.test(word));
}

export function storedHeaders(
  headers: IncomingHttpHeaders,
  credentialHeaders: readonly string[],
): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || isCredentialHeader(name) || credentialHeaders.includes(name)) {
      continue;
    }
    stored[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return stored;
}

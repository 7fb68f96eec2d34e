import type { IncomingHttpHeaders } from 'node:http';

// Beyond each provider's own signature header, anything that looks like a credential is dropped
// before the headers are stored: the inbox is read by operators, not only by the pipeline.
const CREDENTIAL_NAME = /authorization|cookie|signature|secret|token|api[-_]?key|hmac|password/i;

export function storedHeaders(
  headers: IncomingHttpHeaders,
  credentialHeaders: readonly string[],
): Record<string, string> {
  const stored: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || CREDENTIAL_NAME.test(name) || credentialHeaders.includes(name)) {
      continue;
    }
    stored[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return stored;
}

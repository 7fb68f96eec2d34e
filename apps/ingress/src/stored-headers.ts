import type { IncomingHttpHeaders } from 'node:http';
import { isCredentialHeader } from '@webhook-inbox/credential-headers';

// Beyond each source's own credential headers (its configured names), anything the one shared
// list calls a credential is dropped before the headers are stored: the inbox is read by
// operators, not only by the pipeline.
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

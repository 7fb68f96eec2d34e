import { readFileSync } from 'node:fs';
import {
  createVerifier,
  type ImmediateVerifier,
  type IncomingWebhook,
  type ProviderName,
  type Verification,
} from '../src/index.ts';

/** Every unit test's clock. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export const unixSeconds = (date: Date): number => Math.floor(date.getTime() / 1000);
export const secondsFrom = (date: Date, seconds: number): Date =>
  new Date(date.getTime() + seconds * 1000);

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
}

/** A request as a provider sends it: header names in whatever case the provider writes them. */
export interface SignedRequest {
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  /** Path and query, as the ingress sees them. */
  readonly url: string;
}

/** What the verifier sees: Node lower-cases header names. */
export function incoming(request: SignedRequest, now: Date = NOW): IncomingWebhook {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  return { headers, rawBody: request.body, url: request.url, now };
}

/**
 * A provider's verifier, answering at once as every one the shared suites run does; the one
 * that may fetch a key first (Plaid's) is tested on its own, against a local key server.
 */
export function verifier(
  provider: ProviderName,
  secrets: readonly string[],
  options?: Record<string, unknown>,
): ImmediateVerifier {
  const built = createVerifier(provider, options, secrets);
  return {
    credentialHeaders: built.credentialHeaders,
    acceptsContentType: (contentType) => built.acceptsContentType(contentType),
    ...(built.handshake && { handshake: built.handshake }),
    verify(request) {
      const result = built.verify(request);
      if (result instanceof Promise) throw new Error(`${provider} did not answer at once`);
      return singleOfBatch(result);
    },
  };
}

/**
 * The shared suites send one event per request: a batched provider's batch of one is that
 * event, so every suite checks it as it checks any other. Larger batches are left as they are.
 */
function singleOfBatch(result: Verification): Verification {
  if (result.kind !== 'batch' || result.events.length !== 1) return result;
  return { kind: 'event', event: result.events[0] as NonNullable<(typeof result.events)[0]> };
}

export function withHeader(request: SignedRequest, name: string, value: string | undefined) {
  const headers = Object.fromEntries(
    Object.entries(request.headers).filter(([key]) => key.toLowerCase() !== name.toLowerCase()),
  );
  return { ...request, headers: value === undefined ? headers : { ...headers, [name]: value } };
}

export function headerOf(request: SignedRequest, name: string): string {
  const entry = Object.entries(request.headers).find(
    ([key]) => key.toLowerCase() === name.toLowerCase(),
  );
  if (!entry) throw new Error(`test request has no ${name} header`);
  return entry[1];
}

export function reasonOf(result: Verification): string {
  return result.kind === 'rejected' ? result.reason : result.kind;
}

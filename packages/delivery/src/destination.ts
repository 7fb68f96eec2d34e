import { isCredentialHeader } from '@webhook-inbox/verify';
import { z } from 'zod';
import type { HostAllowList } from './host-allow-list.ts';
import { isReservedHeader } from './outgoing-request.ts';
import { type DestinationRoute, routeFields } from './route.ts';

export const DEFAULT_TIMEOUT_MS = 15_000;

/** What the receiving service gets as the request body. */
export type Envelope = 'body' | 'event';

/** A destination as validated at start-up; build it only with `parseDestination`. */
export interface Destination extends DestinationRoute {
  readonly url: URL;
  /** Standard Webhooks secrets (`whsec_…`); each signs every request, so rotation is seamless. */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  readonly rateLimitPerSecond: number | undefined;
  readonly envelope: Envelope;
  /** Lower-case names of the original headers sent along, when the event has them. */
  readonly forwardHeaders: readonly string[];
}

/** A start-up problem with one destination; the message is one line that names it. */
export class DestinationConfigError extends Error {
  override name = 'DestinationConfigError';
}

// The Standard Webhooks spec asks for 24 to 64 random bytes.
const MIN_SECRET_BYTES = 24;

const SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

function secretProblem(secret: string): string | undefined {
  const base64 = SECRET.exec(secret)?.[1];
  if (base64 === undefined) return 'is not a Standard Webhooks secret (whsec_ followed by base64)';
  const bytes = Buffer.from(base64, 'base64').length;
  if (bytes < MIN_SECRET_BYTES) {
    return `decodes to ${bytes} bytes, fewer than ${MIN_SECRET_BYTES} (make one with: openssl rand -base64 32)`;
  }
  return undefined;
}

const secret = z.string().superRefine((value, context) => {
  const problem = secretProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: `secret ${problem}` });
});

const headerName = z
  .string()
  .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'is not an HTTP header name')
  .transform((name) => name.toLowerCase())
  .refine((name) => !isCredentialHeader(name), 'may carry a credential and is never forwarded')
  .refine((name) => !isReservedHeader(name), 'is set by the delivery itself');

/**
 * One destination as it appears in a source's entry of the sources file, secrets already
 * resolved from their `env:VAR` references by the caller.
 */
export const destinationSchema = z
  .object({
    ...routeFields,
    url: z.string(),
    secret: secret.optional(),
    secrets: z.array(secret).min(1).optional(),
    timeoutMs: z.number().int().min(1).max(300_000).default(DEFAULT_TIMEOUT_MS),
    rateLimitPerSecond: z.number().positive().optional(),
    envelope: z.enum(['body', 'event']).default('body'),
    forwardHeaders: z.array(headerName).default([]),
  })
  .strict()
  .refine((entry) => (entry.secret === undefined) !== (entry.secrets === undefined), {
    message: 'needs exactly one of "secret" or "secrets"',
  });

function urlProblem(text: string, hosts: HostAllowList): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `"${text}" is not an absolute URL`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return `${url.protocol} is not allowed, only http: and https:`;
  }
  if (url.username !== '' || url.password !== '') {
    return 'must not carry credentials; the receiver checks the webhook-signature instead';
  }
  if (!hosts.allows(url.hostname)) {
    const listed = hosts.patterns.length > 0 ? hosts.patterns.join(', ') : 'nothing';
    return `host ${url.hostname} is not on the destination host allow-list (${listed}); add it, or a pattern that covers it`;
  }
  return undefined;
}

function nameOf(raw: unknown): string | undefined {
  const name = typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : null;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Validates one destination, its URL included, as the start-up check. Throws a
 * DestinationConfigError: `destination "billing": url: host … is not on the … allow-list`.
 */
export function parseDestination(raw: unknown, hosts: HostAllowList): Destination {
  const name = nameOf(raw);
  const label = name === undefined ? 'destination' : `destination "${name}"`;
  const parsed = destinationSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.map(String).join('.');
    throw new DestinationConfigError(
      `${label}: ${path ? `${path}: ` : ''}${issue?.message ?? 'invalid'}`,
    );
  }
  const entry = parsed.data;
  const problem = urlProblem(entry.url, hosts);
  if (problem) throw new DestinationConfigError(`${label}: url: ${problem}`);
  return {
    name: entry.name,
    types: entry.types,
    retry: entry.retry,
    url: new URL(entry.url),
    secrets: entry.secrets ?? [entry.secret as string],
    timeoutMs: entry.timeoutMs,
    rateLimitPerSecond: entry.rateLimitPerSecond,
    envelope: entry.envelope,
    forwardHeaders: entry.forwardHeaders,
  };
}

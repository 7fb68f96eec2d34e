import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Env } from './env.ts';
import { ConfigError, describeIssue } from './errors.ts';
import { type OrderingSpec, orderingEntry } from './ordering.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** First retry delay; each next one doubles. */
  readonly backoffMs: number;
}

/** One entry of the sources file with its secrets resolved; what a process builds from it is its own. */
export interface SourceSpec {
  readonly name: string;
  readonly provider: string;
  /** Never empty; in the file's order. */
  readonly secrets: readonly string[];
  readonly options: Readonly<Record<string, unknown>> | undefined;
  readonly retry: RetryPolicy;
  /** How long one attempt at an event may take; unset: the worker's default. */
  readonly handlerTimeoutMs: number | undefined;
  /** Per-key ordering of its events; unset: every event runs as soon as a worker is free. */
  readonly ordering?: OrderingSpec | undefined;
}

/**
 * Builds what a process needs from one entry (the ingress: its verifier). Throws an Error, or a
 * z.ZodError for bad options, and the loader names the entry in front of the message.
 */
export type SourceAssembler<T> = (spec: SourceSpec) => T;

export const DEFAULT_RETRY: RetryPolicy = { attempts: 8, backoffMs: 5_000 };

/** Each source's retry policy, by source name. */
export type RetryPolicies = ReadonlyMap<string, RetryPolicy>;

/**
 * The policy for an event of `source`. A row can outlive its source's entry in the file (removed
 * or renamed since), and its job still needs options: it gets the default.
 */
export function retryPolicyFor(policies: RetryPolicies, source: string): RetryPolicy {
  return policies.get(source) ?? DEFAULT_RETRY;
}

// A blank secret is a mistake, never a choice: a copy-paste that lost the value, or a quoted
// newline. An HMAC keyed by it verifies anyone who guesses that.
const isBlank = (text: string) => text.trim() === '';

const secretRef = z
  .string()
  .min(1, 'secret is empty')
  .refine((text) => !isBlank(text), 'secret is only whitespace');

const sourceEntry = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -'),
    provider: z.string(),
    secret: secretRef.optional(),
    secrets: z.array(secretRef).min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(100).default(DEFAULT_RETRY.attempts),
        backoffMs: z.number().int().min(1).default(DEFAULT_RETRY.backoffMs),
      })
      .strict()
      .default(DEFAULT_RETRY),
    handlerTimeoutMs: z.number().int().min(1).optional(),
    ordering: orderingEntry.optional(),
    /** HTTP destinations; their shape is checked by the parser the caller hands over. */
    destinations: z.array(z.record(z.string(), z.unknown())).optional(),
  })
  .strict();

type SourceEntry = z.infer<typeof sourceEntry>;

/**
 * `"env:VAR"` reads VAR, so secrets need not sit in the file. `"env:VAR?"` may be unset: a
 * rotation's second secret comes and goes with the environment alone. Anything else is the
 * secret itself.
 */
type SecretRef =
  | { readonly ref: string; readonly variable: undefined }
  | { readonly ref: string; readonly variable: string; readonly optional: boolean };

function parseSecretRef(ref: string): SecretRef {
  if (!ref.startsWith('env:')) return { ref, variable: undefined };
  const optional = ref.endsWith('?');
  return { ref, variable: ref.slice('env:'.length, optional ? -1 : undefined), optional };
}

const secretRefsOf = (entry: SourceEntry): SecretRef[] =>
  [...(entry.secret ? [entry.secret] : []), ...(entry.secrets ?? [])].map(parseSecretRef);

const isSet = (value: string | undefined): value is string => value !== undefined && value !== '';

function resolveSecret(secret: SecretRef, env: Env): string | undefined {
  if (secret.variable === undefined) return secret.ref;
  const value = env[secret.variable];
  if (isSet(value) && isBlank(value)) {
    throw new Error(
      `secret ${secret.ref}: environment variable ${secret.variable} is only whitespace`,
    );
  }
  if (isSet(value)) return value;
  if (secret.optional) return undefined;
  throw new Error(`secret ${secret.ref}: environment variable ${secret.variable} is not set`);
}

function resolveSpec(entry: SourceEntry, env: Env): SourceSpec {
  const refs = secretRefsOf(entry);
  if (refs.length === 0) throw new Error('needs "secret" or "secrets"');
  const secrets = refs.flatMap((ref) => resolveSecret(ref, env) ?? []);
  if (secrets.length === 0) {
    throw new Error(`no secret is set (${refs.map(({ ref }) => ref).join(', ')} are all unset)`);
  }
  return {
    name: entry.name,
    provider: entry.provider,
    secrets,
    options: entry.options,
    retry: entry.retry,
    handlerTimeoutMs: entry.handlerTimeoutMs,
    ordering: entry.ordering,
  };
}

function assembleEntry<T>(spec: SourceSpec, assemble: SourceAssembler<T>): T {
  try {
    return assemble(spec);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new Error(describeIssue(error.issues, ['options']));
    }
    throw error;
  }
}

/** A destination entry with its `secret`/`secrets` references resolved from `env`. */
function resolveDestinationSecrets(raw: Record<string, unknown>, env: Env) {
  const resolveOne = (value: unknown) =>
    typeof value === 'string' ? resolveSecret(parseSecretRef(value), env) : value;
  const resolved = { ...raw };
  if ('secret' in raw) resolved.secret = resolveOne(raw.secret);
  if (Array.isArray(raw.secrets)) {
    const secrets = raw.secrets.map(resolveOne).filter((value) => value !== undefined);
    if (secrets.length === 0) throw new Error('no secret is set (all its references are unset)');
    resolved.secrets = secrets;
  }
  return resolved;
}

/** Parses one source's destinations, naming the one a problem is in; names must be unique. */
function parseDestinations<T>(
  raws: readonly Record<string, unknown>[],
  parse: (raw: Record<string, unknown>) => T,
): T[] {
  const names = new Set<unknown>();
  return raws.map((raw, index) => {
    const label =
      typeof raw.name === 'string' ? `destination "${raw.name}"` : `destination ${index}`;
    if (names.has(raw.name)) throw new Error(`${label}: duplicate name`);
    names.add(raw.name);
    try {
      return parse(raw);
    } catch (error) {
      if (error instanceof z.ZodError) throw new Error(`${label}: ${describeIssue(error.issues)}`);
      // The destination package's own errors already name the destination.
      const message = (error as Error).message;
      throw new Error(message.startsWith('destination') ? message : `${label}: ${message}`);
    }
  });
}

function labelOf(raw: unknown, index: number): string {
  const name =
    typeof raw === 'object' && raw !== null ? (raw as { name?: unknown }).name : undefined;
  return typeof name === 'string' ? `entry ${index} ("${name}")` : `entry ${index}`;
}

/** Reads and validates the file's shape, leaving secrets unresolved. */
function readEntries(file: string): Array<{ label: string; entry: SourceEntry }> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the sources file (set SOURCES_FILE)`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(raw)) throw new ConfigError(`${file}: must be a JSON array of sources`);

  const names = new Set<string>();
  return raw.map((item: unknown, index) => {
    const label = labelOf(item, index);
    const parsed = sourceEntry.safeParse(item);
    if (!parsed.success) {
      throw new ConfigError(`${file}: ${label}: ${describeIssue(parsed.error.issues)}`);
    }
    if (names.has(parsed.data.name)) throw new ConfigError(`${file}: ${label}: duplicate name`);
    names.add(parsed.data.name);
    return { label, entry: parsed.data };
  });
}

export interface SecretReference {
  readonly source: string;
  /** The environment variable an `env:` reference names. */
  readonly variable: string;
  /** `env:VAR?`: may be unset (a rotation's other secret). */
  readonly optional: boolean;
  readonly set: boolean;
}

/**
 * The sources file, read and validated once. Secrets are resolved only by `resolve`, so the
 * processes that verify nothing (the worker, the dashboard, replay) need none of them.
 */
export class SourcesFile {
  constructor(
    readonly path: string,
    private readonly entries: ReadonlyArray<{ label: string; entry: SourceEntry }>,
  ) {}

  /**
   * Resolves each entry's secrets from `env` and assembles it; any problem is one ConfigError
   * line naming the entry.
   */
  resolve<T>(env: Env, assemble: SourceAssembler<T>): Map<string, T> {
    const sources = new Map<string, T>();
    for (const { label, entry } of this.entries) {
      try {
        sources.set(entry.name, assembleEntry(resolveSpec(entry, env), assemble));
      } catch (error) {
        throw new ConfigError(`${this.path}: ${label}: ${(error as Error).message}`);
      }
    }
    return sources;
  }

  /** Each source's retry policy, for whoever queues its jobs. */
  retryPolicies(): Map<string, RetryPolicy> {
    return new Map(this.entries.map(({ entry }) => [entry.name, entry.retry]));
  }

  /** The options of each source of `provider`, for a process that acts for it (SNS confirmation). */
  optionsOf(provider: string): Map<string, Readonly<Record<string, unknown>> | undefined> {
    return new Map(
      this.entries
        .filter(({ entry }) => entry.provider === provider)
        .map(({ entry }) => [entry.name, entry.options]),
    );
  }

  /** The handler deadline of each source that sets its own. */
  handlerTimeouts(): Map<string, number> {
    return new Map(
      this.entries.flatMap(({ entry }) =>
        entry.handlerTimeoutMs === undefined ? [] : [[entry.name, entry.handlerTimeoutMs]],
      ),
    );
  }

  /** The ordering of each source that sets one, for whoever stores its events. */
  orderings(): Map<string, OrderingSpec> {
    return new Map(
      this.entries.flatMap(({ entry }) =>
        entry.ordering === undefined ? [] : [[entry.name, entry.ordering]],
      ),
    );
  }

  /**
   * The sources whose dedupe keys retention may delete with their rows: those whose provider
   * always refuses a stale signed timestamp, as `hasSignedTimestamp` (the provider modules')
   * says. Every other source keeps its keys, as the only replay defence it has.
   */
  timestampedSources(hasSignedTimestamp: (provider: string) => boolean): string[] {
    return this.entries
      .filter(({ entry }) => hasSignedTimestamp(entry.provider))
      .map(({ entry }) => entry.name);
  }

  /**
   * Each source's destinations as `parse` reads an entry, secrets unresolved: what the
   * processes that only queue deliveries need (which events go where, and their retry policy).
   */
  destinationRoutes<T>(parse: (raw: Record<string, unknown>) => T): Map<string, T[]> {
    return this.#eachSourceDestinations((raws) => parseDestinations(raws, parse));
  }

  /**
   * Each source's destinations with their `env:VAR` secrets resolved from `env`, then read by
   * `parse` (the delivery package's, which checks URLs against the host allow-list).
   */
  destinations<T>(env: Env, parse: (raw: Record<string, unknown>) => T): Map<string, T[]> {
    return this.#eachSourceDestinations((raws) =>
      parseDestinations(raws, (raw) => parse(resolveDestinationSecrets(raw, env))),
    );
  }

  #eachSourceDestinations<T>(read: (raws: readonly Record<string, unknown>[]) => T[]) {
    const bySource = new Map<string, T[]>();
    for (const { label, entry } of this.entries) {
      if (!entry.destinations?.length) continue;
      try {
        bySource.set(entry.name, read(entry.destinations));
      } catch (error) {
        throw new ConfigError(`${this.path}: ${label}: ${(error as Error).message}`);
      }
    }
    return bySource;
  }

  /** Every `env:` secret reference and whether `env` sets it, for a health check. */
  secretReferences(env: Env): SecretReference[] {
    return this.entries.flatMap(({ entry }) =>
      secretRefsOf(entry).flatMap((secret) =>
        secret.variable === undefined
          ? []
          : [
              {
                source: entry.name,
                variable: secret.variable,
                optional: secret.optional,
                set: isSet(env[secret.variable]),
              },
            ],
      ),
    );
  }
}

/**
 * Reads and validates the sources file, secrets unresolved; what each process takes from it is
 * asked of the result. Any problem with the file's shape is one ConfigError line naming the entry.
 */
export function readSourcesFile(path: string): SourcesFile {
  return new SourcesFile(path, readEntries(path));
}

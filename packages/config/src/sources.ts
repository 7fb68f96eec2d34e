import { readFileSync } from 'node:fs';
import {
  createVerifier,
  isProviderName,
  providerNames,
  type Verifier,
} from '@webhook-inbox/verify';
import { z } from 'zod';
import type { Env } from './env.ts';
import { ConfigError, describeIssue } from './errors.ts';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  readonly attempts: number;
  /** First retry delay; each next one doubles. */
  readonly backoffMs: number;
}

export interface Source {
  readonly name: string;
  readonly provider: string;
  readonly verifier: Verifier;
  readonly retry: RetryPolicy;
}

const secretRef = z.string().min(1, 'secret is empty');

const sourceEntry = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be lower-case letters, digits, _ or -'),
    provider: z.string(),
    secret: secretRef.optional(),
    secrets: z.array(secretRef).min(1).optional(),
    options: z.record(z.string(), z.unknown()).optional(),
    retry: z
      .object({
        attempts: z.number().int().min(1).max(100).default(8),
        backoffMs: z.number().int().min(1).default(5_000),
      })
      .strict()
      .default({ attempts: 8, backoffMs: 5_000 }),
  })
  .strict();

type SourceEntry = z.infer<typeof sourceEntry>;

/** `"env:VAR"` reads VAR, so secrets need not sit in the file. */
function resolveSecret(ref: string, env: Env): string {
  if (!ref.startsWith('env:')) return ref;
  const variable = ref.slice('env:'.length);
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new Error(`secret ${ref}: environment variable ${variable} is not set`);
  }
  return value;
}

function buildSource(entry: SourceEntry, env: Env): Source {
  if (!isProviderName(entry.provider)) {
    throw new Error(`unknown provider "${entry.provider}" (known: ${providerNames.join(', ')})`);
  }
  const refs = [...(entry.secret ? [entry.secret] : []), ...(entry.secrets ?? [])];
  if (refs.length === 0) throw new Error('needs "secret" or "secrets"');
  const secrets = refs.map((ref) => resolveSecret(ref, env));
  let verifier: Verifier;
  try {
    verifier = createVerifier(entry.provider, entry.options, secrets);
  } catch (error) {
    if (error instanceof z.ZodError) {
      throw new Error(describeIssue(error.issues, ['options']));
    }
    throw error;
  }
  return { name: entry.name, provider: entry.provider, verifier, retry: entry.retry };
}

/** Reads, validates and resolves the sources file; any problem is one ConfigError line. */
export function loadSources(file: string, env: Env): Map<string, Source> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new ConfigError(`${file}: cannot read the sources file (set SOURCES_FILE)`);
  }
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${(error as Error).message})`);
  }
  if (!Array.isArray(entries)) throw new ConfigError(`${file}: must be a JSON array of sources`);

  const sources = new Map<string, Source>();
  entries.forEach((raw: unknown, index) => {
    const label =
      typeof raw === 'object' &&
      raw !== null &&
      typeof (raw as { name?: unknown }).name === 'string'
        ? `entry ${index} ("${(raw as { name: string }).name}")`
        : `entry ${index}`;
    const parsed = sourceEntry.safeParse(raw);
    if (!parsed.success)
      throw new ConfigError(`${file}: ${label}: ${describeIssue(parsed.error.issues)}`);
    if (sources.has(parsed.data.name)) throw new ConfigError(`${file}: ${label}: duplicate name`);
    try {
      sources.set(parsed.data.name, buildSource(parsed.data, env));
    } catch (error) {
      throw new ConfigError(`${file}: ${label}: ${(error as Error).message}`);
    }
  });
  return sources;
}

import { hash } from 'node:crypto';
import { z } from 'zod';

/**
 * A source's `ordering`: events whose payloads give the same key run one at a time, in the
 * order `by` names: `received` (the order the inbox stored them) or a dot path to a provider
 * timestamp or version, which also lets an event older than the last applied be marked stale.
 */
export interface OrderingSpec {
  /** Dot paths into the payload; several make one composite key (GitHub's repository + issue). */
  readonly key: readonly string[];
  readonly by: 'received' | string;
}

/** What an event's payload gives under its source's ordering. */
export interface EventOrdering {
  readonly key: string;
  /** The `by` value as a number (epoch milliseconds for a date); null by `received` or if absent. */
  readonly value: number | null;
}

// Segments may be array indexes ("items.0.id"); an empty segment is a typo, never a field.
const dotPath = z
  .string()
  .regex(/^[^.\s]+(\.[^.\s]+)*$/, 'must be a dot path into the payload, e.g. "data.object.id"');

export const orderingEntry = z
  .object({
    key: z.union([dotPath, z.array(dotPath).min(1, 'needs at least one dot path')]),
    by: z.union([z.literal('received'), dotPath]).default('received'),
  })
  .strict()
  .transform(({ key, by }): OrderingSpec => ({ key: typeof key === 'string' ? [key] : key, by }));

/** Longer keys are stored as their digest: a btree refuses index rows past ~2.7 KB. */
const MAX_KEY_LENGTH = 200;

function at(payload: unknown, path: string): unknown {
  let value = payload;
  for (const segment of path.split('.')) {
    // Own fields only: "constructor" or "__proto__" must not reach into the prototype.
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, segment))
      return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function keyPart(value: unknown): string | undefined {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

const NUMERIC = /^-?\d+(\.\d+)?$/;

/** A provider timestamp or version as a number: a number, a numeric string, or a date. */
export function orderingValue(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  if (NUMERIC.test(value)) return Number(value);
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The key and value `spec` gives `payload`, or undefined when a key part is missing (or not a
 * string or number): such an event is unordered and runs as any other.
 */
export function orderingOf(spec: OrderingSpec, payload: unknown): EventOrdering | undefined {
  const parts: string[] = [];
  for (const path of spec.key) {
    const part = keyPart(at(payload, path));
    if (part === undefined) return undefined;
    parts.push(part);
  }
  // A composite key as JSON, so that ("a/b", "c") and ("a", "b/c") stay two keys.
  const text = parts.length === 1 ? (parts[0] as string) : JSON.stringify(parts);
  const key = text.length <= MAX_KEY_LENGTH ? text : `sha256:${hash('sha256', text, 'hex')}`;
  const value = spec.by === 'received' ? null : orderingValue(at(payload, spec.by));
  return { key, value };
}

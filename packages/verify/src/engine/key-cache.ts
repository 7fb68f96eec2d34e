import type { KeyObject } from 'node:crypto';
import { type Rejection, reject } from '../types.ts';

/** `unavailable`: the sender's key host is down or failing, which a retry may get past. */
export type KeyLookup<Key = KeyObject> =
  | { readonly ok: true; readonly key: Key }
  | { readonly ok: false; readonly problem: string; readonly unavailable?: true };

type FailedLookup = Extract<KeyLookup<unknown>, { ok: false }>;

/** Thrown by a fetcher whose host answered that it is failing (5xx, 429), not that the key is unknown. */
export class KeyHostFailing extends Error {}

/** A key host's HTTP status that says it is failing now rather than that the request is wrong. */
export const isFailingStatus = (status: number) => status >= 500 || status === 429;

/**
 * Whether a fetch failed for the host's sake: no answer within the deadline, no connection
 * (fetch reports a refused, reset or unresolved one as a TypeError caused by a system error;
 * a refused redirect has no such code), or a failing status.
 */
function isHostUnavailable(error: unknown): boolean {
  if (error instanceof KeyHostFailing) return true;
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  const cause: unknown = error.cause;
  return (
    error instanceof TypeError &&
    typeof cause === 'object' &&
    cause !== null &&
    typeof (cause as { code?: unknown }).code === 'string'
  );
}

/**
 * The refusal of a request whose key could not be had: `keys_unavailable` (a 503, so the
 * sender retries) when its host is down, else a signature that cannot be checked.
 */
export const keyLookupRejection = (lookup: FailedLookup, what: string): Rejection =>
  reject(
    lookup.unavailable ? 'keys_unavailable' : 'no_matching_secret',
    `${what} unavailable: ${lookup.problem}`,
  );

/**
 * Fetches the public key (or certificate) a sender names, or throws an Error whose message is
 * safe to log: it never holds the credential the fetch was made with.
 */
export type FetchKey<Key = KeyObject> = (keyId: string, signal: AbortSignal) => Promise<Key>;

/**
 * `use` applied to a lookup: at once when the key was at hand, so a cached key adds no
 * promise to the request's path, else once the fetch ends.
 */
export function withLookup<Key, Result>(
  lookup: KeyLookup<Key> | Promise<KeyLookup<Key>>,
  use: (found: KeyLookup<Key>) => Result,
): Result | Promise<Awaited<Result>> {
  if (!(lookup instanceof Promise)) return use(lookup);
  // `then` flattens a `use` that is itself asynchronous (Plaid's JWT check).
  return lookup.then(use) as Promise<Awaited<Result>>;
}

export interface KeyCacheLimits {
  /** How long one fetch may take; the request waiting for it is refused past that. */
  readonly deadlineMs: number;
  /** How long a key ID that could not be fetched is not asked for again. */
  readonly retryAfterMs: number;
  /**
   * Fetches of keys not yet cached, at most, per minute. The key ID comes from a request not yet
   * verified: without a bound, a flood of made-up IDs would become a flood of our own requests.
   */
  readonly fetchesPerMinute: number;
  /** Keys kept; the oldest is dropped for a new one. */
  readonly maxKeys: number;
  /**
   * How long a fetched key is kept before it is fetched again; unset, for ever. A key named by
   * its URL (SNS's, PayPal's certificates) may change behind the same name.
   */
  readonly ttlMs?: number;
}

export const DEFAULT_KEY_CACHE_LIMITS: KeyCacheLimits = {
  deadlineMs: 2_000,
  retryAfterMs: 30_000,
  fetchesPerMinute: 10,
  maxKeys: 32,
};

const MINUTE_MS = 60_000;

/**
 * Public keys by ID, each fetched once: a cached key costs a lookup, so fetching stays off the
 * path of every request but the first to name a key. Requests naming a key being fetched wait
 * for that one fetch.
 */
export class KeyCache<Key = KeyObject> {
  readonly #keys = new Map<string, { readonly key: Key; readonly at: number }>();
  readonly #pending = new Map<string, Promise<KeyLookup<Key>>>();
  readonly #failed = new Map<string, { readonly at: number; readonly lookup: FailedLookup }>();
  #fetchedAt: number[] = [];

  constructor(
    private readonly fetchKey: FetchKey<Key>,
    private readonly limits: KeyCacheLimits = DEFAULT_KEY_CACHE_LIMITS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The key named `keyId`: at once when cached or recently failed, else once fetched. */
  lookup(keyId: string): KeyLookup<Key> | Promise<KeyLookup<Key>> {
    const now = this.clock();
    const cached = this.#keys.get(keyId);
    if (cached && !this.#expired(cached.at, now)) return { ok: true, key: cached.key };
    const pending = this.#pending.get(keyId);
    if (pending) return pending;
    const failed = this.#failed.get(keyId);
    if (failed && now - failed.at < this.limits.retryAfterMs) return failed.lookup;
    this.#fetchedAt = this.#fetchedAt.filter((at) => now - at < MINUTE_MS);
    if (this.#fetchedAt.length >= this.limits.fetchesPerMinute) {
      return { ok: false, problem: 'too many unknown key IDs this minute: not fetched' };
    }
    this.#fetchedAt.push(now);
    const fetching = this.#fetch(keyId).finally(() => this.#pending.delete(keyId));
    this.#pending.set(keyId, fetching);
    return fetching;
  }

  #expired(at: number, now: number): boolean {
    return this.limits.ttlMs !== undefined && now - at >= this.limits.ttlMs;
  }

  async #fetch(keyId: string): Promise<KeyLookup<Key>> {
    try {
      const key = await this.fetchKey(keyId, AbortSignal.timeout(this.limits.deadlineMs));
      this.#remember(keyId, key);
      return { ok: true, key };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const problem = timedOut
        ? `the key endpoint did not answer within ${this.limits.deadlineMs} ms`
        : (error as Error).message;
      const lookup: FailedLookup = isHostUnavailable(error)
        ? { ok: false, problem, unavailable: true }
        : { ok: false, problem };
      this.#forgetOldFailures();
      this.#failed.set(keyId, { at: this.clock(), lookup });
      return lookup;
    }
  }

  #remember(keyId: string, key: Key) {
    this.#failed.delete(keyId);
    this.#keys.delete(keyId);
    if (this.#keys.size >= this.limits.maxKeys) {
      const [oldest] = this.#keys.keys();
      if (oldest !== undefined) this.#keys.delete(oldest);
    }
    this.#keys.set(keyId, { key, at: this.clock() });
  }

  #forgetOldFailures() {
    const now = this.clock();
    for (const [keyId, failed] of this.#failed) {
      if (now - failed.at >= this.limits.retryAfterMs) this.#failed.delete(keyId);
    }
  }
}

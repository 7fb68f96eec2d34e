import { setTimeout as sleep } from 'node:timers/promises';
import { type BreakerPolicy, type BreakerState, CircuitBreaker } from './circuit-breaker.ts';
import type { Destination } from './destination.ts';
import { attemptDelivery } from './http-attempt.ts';
import type { DeliveryOutcome } from './outcome.ts';
import { type DeliveryMessage, requestBody, requestHeaders } from './outgoing-request.ts';
import { TokenBucket } from './rate-limiter.ts';

export interface DelivererOptions {
  readonly breaker?: BreakerPolicy;
  /** Longest a delivery waits for its rate limit's token before it is deferred instead. */
  readonly maxRateWaitMs?: number;
  /** A destination's `Retry-After` is honoured up to this. */
  readonly maxRetryAfterMs?: number;
  /** The clock for breakers, limits and `webhook-timestamp`; tests move it. */
  readonly now?: () => number;
}

export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 5, coolDownMs: 30_000 };
const DEFAULT_MAX_RATE_WAIT_MS = 1_000;
const DEFAULT_MAX_RETRY_AFTER_MS = 60 * 60_000;

/** One destination's breaker in this process, as the metrics show it. */
export interface BreakerReading {
  readonly source: string;
  readonly destination: string;
  readonly state: BreakerState;
}

export interface Deliverer {
  /** Sends one event to one destination; resolves to an outcome and never rejects for HTTP. */
  deliver(destination: Destination, message: DeliveryMessage): Promise<DeliveryOutcome>;
  /** The breakers of the destinations this deliverer has sent to. */
  breakers(): BreakerReading[];
}

/**
 * Delivers events with one breaker and one rate limit per (source, destination), in this
 * process: a slow or failing destination fills only its own breaker and bucket, never another's.
 */
export function createDeliverer(options: DelivererOptions = {}): Deliverer {
  const breakerPolicy = options.breaker ?? DEFAULT_BREAKER;
  const maxRateWaitMs = options.maxRateWaitMs ?? DEFAULT_MAX_RATE_WAIT_MS;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  const now = options.now ?? Date.now;
  const breakers = new Map<string, CircuitBreaker>();
  const buckets = new Map<string, TokenBucket>();

  function breakerFor(key: string): CircuitBreaker {
    const known = breakers.get(key);
    if (known) return known;
    const breaker = new CircuitBreaker(breakerPolicy);
    breakers.set(key, breaker);
    return breaker;
  }

  function bucketFor(key: string, perSecond: number): TokenBucket {
    const known = buckets.get(key);
    if (known) return known;
    const bucket = new TokenBucket(perSecond, now());
    buckets.set(key, bucket);
    return bucket;
  }

  function send(destination: Destination, message: DeliveryMessage) {
    const startedAt = new Date(now());
    const body = requestBody(destination, message);
    const headers = requestHeaders(destination, message, body, startedAt);
    return attemptDelivery(destination, { body, headers, startedAt, maxRetryAfterMs });
  }

  return {
    breakers() {
      return [...breakers].map(([key, breaker]) => {
        const slash = key.indexOf('/');
        return {
          source: key.slice(0, slash),
          destination: key.slice(slash + 1),
          state: breaker.state(now()),
        };
      });
    },
    async deliver(destination, message) {
      // Source names cannot contain "/", so the key is unambiguous.
      const key = `${message.source}/${destination.name}`;
      const breaker = breakerFor(key);
      const admission = breaker.admit(now());
      if (!admission.admitted) {
        const { retryAfterMs } = admission;
        return { kind: 'retry', reason: 'breaker-open', retryAfterMs, attempt: undefined };
      }
      if (destination.rateLimitPerSecond !== undefined) {
        const bucket = bucketFor(key, destination.rateLimitPerSecond);
        const waitMs = bucket.reserve(now(), maxRateWaitMs);
        if (waitMs === undefined) {
          breaker.release(admission);
          const retryAfterMs = bucket.retryAfterMs(maxRateWaitMs);
          return { kind: 'retry', reason: 'rate-limited', retryAfterMs, attempt: undefined };
        }
        if (waitMs > 0) await sleep(waitMs);
      }
      let outcome: DeliveryOutcome;
      try {
        outcome = await send(destination, message);
      } catch (error) {
        // Only a bug gets here; a probe left marked in flight would keep the breaker open forever.
        breaker.release(admission);
        throw error;
      }
      if (outcome.kind === 'delivered') breaker.succeeded();
      else breaker.failed(now());
      return outcome;
    },
  };
}

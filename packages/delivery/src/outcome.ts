/** One HTTP request to a destination, as the attempt record keeps it. */
export interface AttemptRecord {
  readonly startedAt: Date;
  /** Undefined when no response came (network error, timeout). */
  readonly status: number | undefined;
  readonly latencyMs: number;
  /** The first KiB of the response body, decoded as UTF-8. */
  readonly responseSnippet: string;
  readonly error: string | undefined;
}

/** Why a delivery is to be retried. */
export type RetryReason =
  | 'status' // a 4xx other than 410, or a 5xx
  | 'redirect' // a 3xx: redirects are never followed
  | 'timeout'
  | 'network'
  | 'breaker-open' // no request made
  | 'rate-limited'; // no request made

/**
 * What one delivery came to. `gone` (410) means the destination asked never to be sent to again:
 * the caller disables it and alerts. `retryAfterMs` is the destination's `Retry-After` (or the
 * breaker's or limiter's own wait), to combine with the backoff via `backoffDelayMs`.
 */
export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly attempt: AttemptRecord }
  | { readonly kind: 'gone'; readonly attempt: AttemptRecord }
  | {
      readonly kind: 'retry';
      readonly reason: Exclude<RetryReason, 'breaker-open' | 'rate-limited'>;
      readonly retryAfterMs: number | undefined;
      readonly attempt: AttemptRecord;
    }
  | {
      readonly kind: 'retry';
      readonly reason: 'breaker-open' | 'rate-limited';
      readonly retryAfterMs: number;
      readonly attempt: undefined;
    };

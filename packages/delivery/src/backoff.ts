export interface BackoffPolicy {
  /** The first retry's ceiling; each next retry doubles it. */
  readonly baseMs: number;
  /** No jittered delay exceeds this. */
  readonly capMs: number;
}

/**
 * How long to wait before retry number `retry` (1 for the first): "full jitter", a uniform draw
 * below the capped exponential ceiling, so many events failing together do not retry together.
 * A longer `Retry-After` from the destination wins: it said when it can take more.
 */
export function backoffDelayMs(
  policy: BackoffPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.max(0, retry - 1));
  const jittered = Math.floor(random() * ceiling);
  return Math.max(jittered, retryAfterMs ?? 0);
}

/**
 * A token bucket per destination: `perSecond` tokens a second, holding at most one second's
 * worth, so a quiet destination may take a short burst. `reserve` books a token ahead of time,
 * which spaces concurrent callers instead of letting them all wake at once.
 */
export class TokenBucket {
  readonly #capacity: number;
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.#capacity = Math.max(1, perSecond);
    this.#tokens = this.#capacity;
    this.#updatedAt = nowMs;
  }

  /**
   * Books one token and says how long to wait for it, or books nothing and returns undefined
   * when the wait would exceed `maxWaitMs`, so a caller is never parked for long.
   */
  reserve(nowMs: number, maxWaitMs: number): number | undefined {
    const elapsed = Math.max(0, nowMs - this.#updatedAt);
    this.#tokens = Math.min(this.#capacity, this.#tokens + (elapsed * this.perSecond) / 1000);
    this.#updatedAt = nowMs;
    const waitMs = this.#tokens >= 1 ? 0 : ((1 - this.#tokens) * 1000) / this.perSecond;
    if (waitMs > maxWaitMs) return undefined;
    this.#tokens -= 1;
    return Math.ceil(waitMs);
  }

  /** How long until a reservation would need no wait longer than `maxWaitMs`. */
  retryAfterMs(maxWaitMs: number): number {
    const waitMs = ((1 - this.#tokens) * 1000) / this.perSecond;
    return Math.max(0, Math.ceil(waitMs - maxWaitMs));
  }
}

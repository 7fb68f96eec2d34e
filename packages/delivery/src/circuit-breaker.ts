export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  readonly failureThreshold: number;
  /** How long an open breaker refuses before letting one probe through. */
  readonly coolDownMs: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** Whether a request may go: `probe` is the one request a half-open breaker lets through. */
export type Admission =
  | { readonly admitted: true; readonly probe: boolean }
  | { readonly admitted: false; readonly retryAfterMs: number };

/**
 * One destination's breaker: closed → open after `failureThreshold` consecutive failures →
 * half-open after `coolDownMs`, when a single probe decides: success closes, failure reopens.
 * While open every delivery fails fast, so a dead destination costs no connections or timeouts.
 */
export class CircuitBreaker {
  #failures = 0;
  #openedAt: number | undefined;
  #probing = false;

  constructor(private readonly policy: BreakerPolicy) {}

  state(nowMs: number): BreakerState {
    if (this.#openedAt === undefined) return 'closed';
    return nowMs - this.#openedAt >= this.policy.coolDownMs ? 'half-open' : 'open';
  }

  admit(nowMs: number): Admission {
    const state = this.state(nowMs);
    if (state === 'closed') return { admitted: true, probe: false };
    if (state === 'half-open' && !this.#probing) {
      this.#probing = true;
      return { admitted: true, probe: true };
    }
    const opened = this.#openedAt ?? nowMs;
    return {
      admitted: false,
      retryAfterMs: Math.max(0, opened + this.policy.coolDownMs - nowMs),
    };
  }

  /** A probe that was admitted but never sent: the next caller may probe instead. */
  release(admission: Admission): void {
    if (admission.admitted && admission.probe) this.#probing = false;
  }

  succeeded(): void {
    this.#failures = 0;
    this.#openedAt = undefined;
    this.#probing = false;
  }

  failed(nowMs: number): void {
    this.#failures += 1;
    this.#probing = false;
    if (this.#openedAt !== undefined || this.#failures >= this.policy.failureThreshold) {
      this.#openedAt = nowMs;
    }
  }
}

/** Wrong API tokens one client address may send a minute before it is refused outright. */
export const WRONG_TOKENS_PER_MINUTE = 10;
const WINDOW_MS = 60_000;
/** Beyond this many addresses, expired windows are dropped before a new one is kept. */
const PRUNE_ABOVE = 10_000;

/**
 * Wrong bearer tokens per client address in a fixed one-minute window: enough to stop guessing,
 * and a right token from a blocked address waits out the window too (or the guess would be told).
 */
export class TokenFailures {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Seconds until `address` may try again, or 0 when it may now. */
  blockedFor(address: string): number {
    const window = this.windows.get(address);
    if (!window || window.endsAt <= this.now() || window.count < WRONG_TOKENS_PER_MINUTE) return 0;
    return Math.ceil((window.endsAt - this.now()) / 1000);
  }

  record(address: string) {
    const now = this.now();
    const window = this.windows.get(address);
    if (window && window.endsAt > now) {
      window.count += 1;
      return;
    }
    if (this.windows.size >= PRUNE_ABOVE) {
      for (const [key, old] of this.windows) if (old.endsAt <= now) this.windows.delete(key);
    }
    this.windows.set(address, { count: 1, endsAt: now + WINDOW_MS });
  }
}

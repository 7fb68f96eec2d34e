import type { RejectionReason } from '@webhook-inbox/verify';
import type { Logger } from 'pino';

/**
 * Counts failed verifications by source and reason, and logs the counts once per interval:
 * a burst of forgeries or a rotated-away secret shows up as one line, not only as thousands.
 */
export class RejectionCounter {
  #counts = new Map<string, Map<RejectionReason, number>>();
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: Logger,
    intervalMs = 60_000,
    /** Told of each failure as it happens (the metrics counter). */
    private readonly onCount?: (source: string, reason: RejectionReason) => void,
  ) {
    this.#timer = setInterval(() => this.flush(), intervalMs);
    this.#timer.unref();
  }

  count(source: string, reason: RejectionReason) {
    const bySource = this.#counts.get(source) ?? new Map<RejectionReason, number>();
    bySource.set(reason, (bySource.get(reason) ?? 0) + 1);
    this.#counts.set(source, bySource);
    this.onCount?.(source, reason);
  }

  /** The counts since the last flush, by source then reason. */
  #snapshot(): Record<string, Partial<Record<RejectionReason, number>>> {
    return Object.fromEntries(
      [...this.#counts].map(([source, reasons]) => [source, Object.fromEntries(reasons)]),
    );
  }

  flush() {
    if (this.#counts.size === 0) return;
    this.log.warn({ rejected: this.#snapshot() }, 'failed verifications since the last report');
    this.#counts = new Map();
  }

  stop() {
    clearInterval(this.#timer);
    this.flush();
  }
}

import { postgresAnswers } from '@webhook-inbox/db';
import type { Worker } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';

/**
 * While Postgres is unreachable no job can succeed, and failing them would spend attempts on an
 * outage that is not the event's fault. The guard pauses this worker and resumes it once
 * Postgres answers again.
 */
export class OutageGuard {
  #waiting: Promise<void> | undefined;
  #stopped = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly log: Logger,
    private readonly probeIntervalMs: number,
  ) {}

  /** Pauses `worker` (without waiting for its active jobs) until Postgres answers. */
  pauseUntilReachable(worker: Worker): void {
    if (this.#waiting || this.#stopped) return;
    this.log.warn('postgres unreachable: pausing this worker until it answers');
    void worker.pause(true);
    this.#waiting = this.#waitForPostgres().then(() => {
      this.#waiting = undefined;
      if (this.#stopped) return;
      this.log.info('postgres reachable again: resuming');
      worker.resume();
    });
  }

  async #waitForPostgres() {
    while (!this.#stopped && !(await postgresAnswers(this.pool))) {
      await new Promise((resolve) => setTimeout(resolve, this.probeIntervalMs));
    }
  }

  async stop() {
    this.#stopped = true;
    await this.#waiting;
  }
}

import type { Database } from '@webhook-inbox/db';
import { markDeadIfUnfinished } from '@webhook-inbox/inbox';
import { wakeNextInKeys } from '@webhook-inbox/inbox-queue';
import type { JobReport } from '@webhook-inbox/metrics';
import {
  failedForGood,
  QUEUE_NAME,
  type WebhookJobData,
  type WebhookQueue,
} from '@webhook-inbox/queue';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { Worker, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { GROUP_DEFAULTS, type GroupSettings } from './group-commit.ts';
import { holdWritesForThisTurn } from './held-writes.ts';
import type { OrderWait } from './order-wait.ts';
import { OutageGuard } from './outage-guard.ts';
import { createProcessor, type ProcessOutcome } from './process-event.ts';
import type { HandlerRegistry } from './registry.ts';
import { WORKER_NAME } from './worker-name.ts';

/**
 * How quickly a killed worker's jobs come back. A lock not renewed for `lockDurationMs` marks
 * the job stalled at the next check (every `stalledIntervalMs`), so recovery takes at most
 * about their sum. Shorter is safe here, because the row lock keeps a job that is wrongly
 * thought stalled from running twice, but it costs Redis round trips. A live worker renews
 * its jobs' locks every `lockDurationMs / 2` however long a handler runs, so the lock need not
 * outlast the handler deadline; only a blocked event loop lets it expire.
 */
export interface StallSettings {
  readonly lockDurationMs: number;
  readonly stalledIntervalMs: number;
  /** Times a job may stall (its worker died) before it is failed for good. */
  readonly maxStalledCount: number;
}

/** BullMQ's options for one of our workers: where its jobs are, how many at once, the stall check. */
export function bullWorkerOptions(deps: {
  readonly connection: Redis;
  readonly prefix: string;
  readonly concurrency: number;
  readonly stall: StallSettings;
}): WorkerOptions {
  return {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
    lockDuration: deps.stall.lockDurationMs,
    stalledInterval: deps.stall.stalledIntervalMs,
    maxStalledCount: deps.stall.maxStalledCount,
  };
}

export interface WebhookWorkerDeps {
  readonly db: Database;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /** A connection with maxRetriesPerRequest: null, as BullMQ workers need. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly concurrency: number;
  readonly stall: StallSettings;
  /** While Postgres is unreachable: how often to probe it, and how long a job waits. */
  readonly outageRetryMs: number;
  /** Told once per attempt whose outcome is known (the metrics). */
  readonly onJobEnd?: (report: JobReport) => void;
  /** How long one attempt at an event of `source` may take, handler included. */
  readonly handlerTimeoutMs: (source: string) => number;
  /** How jobs that are ready together share a transaction; the size is capped at `concurrency`. */
  readonly group?: GroupSettings;
  /**
   * Where the next event of an ordering key is started when the one before it finishes; without
   * it, each waits out its own look-again delay.
   */
  readonly queue?: WebhookQueue;
  readonly orderWait?: OrderWait;
}

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const guard = new OutageGuard(deps.db.pool, deps.log, Math.min(deps.outageRetryMs, 1_000));
  const { size, waitMs } = deps.group ?? GROUP_DEFAULTS;
  // No more jobs than `concurrency` are ever active at once: a larger group would only wait.
  const group = { size: Math.min(size, deps.concurrency), waitMs };
  const { queue } = deps;
  const processor = createProcessor({
    ...deps,
    group,
    ...(queue && {
      onKeysReleased: (keys) => {
        wakeNextInKeys({ db: deps.db, queue }, keys).catch((error: unknown) =>
          deps.log.warn({ err: error }, 'could not start the next event of an ordering key'),
        );
      },
    }),
    onOutage: () => guard.pauseUntilReachable(worker),
    // BullMQ ends each job with its own script call on this connection: one write for a group.
    beforeJobsEnd: () => holdWritesForThisTurn(deps.connection.stream),
  });
  const worker: Worker<WebhookJobData, ProcessOutcome> = new Worker(
    QUEUE_NAME,
    processor,
    bullWorkerOptions(deps),
  );
  // Without a listener an 'error' event would crash the process.
  worker.on('error', (error) => deps.log.error({ err: error }, 'worker error'));
  // The processor records each failure itself; this is for when that could not happen.
  worker.on('failed', (job, error) => {
    if (!job || !failedForGood(job, error)) return;
    markDeadIfUnfinished(deps.db, job.data.rowId, error, WORKER_NAME).catch((markError: unknown) =>
      deps.log.error({ err: markError, rowId: job.data.rowId }, 'could not mark event dead'),
    );
  });
  return {
    worker,
    /**
     * Stops taking jobs and waits for the running ones; past `graceMs` it stops waiting and
     * leaves them to the stalled-job check (their transactions roll back when we exit).
     */
    async close(graceMs = 30_000) {
      await guard.stop();
      const finished = (await within(worker.close(), graceMs)) !== TIMED_OUT;
      if (!finished) await worker.close(true);
      return finished;
    },
  };
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>;

import type { Database } from '@webhook-inbox/db';
import { type RetentionPolicy, type RetentionStep, runRetention } from '@webhook-inbox/inbox';
import { RETENTION_QUEUE_NAME } from '@webhook-inbox/queue';
import { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RetentionOptions {
  readonly db: Database;
  /** A connection with maxRetriesPerRequest: null: scheduling waits for Redis rather than failing. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly policy: RetentionPolicy;
  readonly everyMs: number;
  readonly log: Logger;
  readonly onPruned?: (step: RetentionStep, rows: number) => void;
}

const SCHEDULER_ID = 'retention';
// A run's job is kept briefly for the dashboard; the metric and the log line are its record.
const KEEP_RUNS = { count: 50 };

/**
 * Retention as a BullMQ job scheduler: every worker upserts the same scheduler (one schedule,
 * however many workers), BullMQ hands each run to one worker, and the advisory lock inside
 * `runRetention` keeps a CLI `prune` from overlapping it.
 */
export function startRetention(options: RetentionOptions) {
  const { db, connection, prefix, policy, log } = options;
  const queue = new Queue(RETENTION_QUEUE_NAME, { connection, prefix });
  queue.on('error', (error) => log.warn({ err: error.message }, 'retention queue error'));
  const scheduled = queue
    .upsertJobScheduler(
      SCHEDULER_ID,
      { every: options.everyMs },
      { name: 'prune', opts: { removeOnComplete: KEEP_RUNS, removeOnFail: KEEP_RUNS } },
    )
    .catch((error: unknown) =>
      log.warn({ err: (error as Error).message }, 'could not schedule retention'),
    );

  const worker = new Worker(
    RETENTION_QUEUE_NAME,
    async () => {
      const run = await runRetention(db, policy, options.onPruned);
      if (run.kind === 'busy') log.info('retention: another process is running it; skipped');
      else log.info({ pruned: run.pruned }, 'retention');
      return run;
    },
    { connection, prefix, concurrency: 1 },
  );
  worker.on('error', (error) => log.warn({ err: error.message }, 'retention worker error'));
  worker.on('failed', (_job, error) => log.warn({ err: error.message }, 'retention run failed'));

  return {
    async close() {
      await scheduled;
      await worker.close();
      await queue.close();
    },
  };
}

import { DEFAULT_RETRY, type RetryPolicy } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import { markDeadIfUnfinished, relayUnfinished } from '@webhook-inbox/inbox';
import {
  type EventToQueue,
  enqueueEvents,
  jobIdFor,
  type WebhookQueue,
} from '@webhook-inbox/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface RelayOptions {
  readonly db: Database;
  readonly queue: WebhookQueue;
  /** The queue's connection: the relay skips its turn while Redis is away. */
  readonly redis: Redis;
  readonly retryPolicies: ReadonlyMap<string, RetryPolicy>;
  readonly log: Logger;
  readonly intervalMs: number;
  /** A row waiting longer than this may have no job (Redis was down, the ingress died). */
  readonly orphanAgeMs: number;
  readonly batchSize?: number;
  /** Told how many jobs each turn (re)added (the metrics). */
  readonly onRequeued?: (count: number) => void;
}

/**
 * Queues every committed row that may lack a job. Adding a job that exists is a no-op (its ID
 * is derived from the row), so the relay needs no bookkeeping of which rows were queued: it
 * walks the old unfinished rows by ID and re-adds their jobs.
 */
export function startRelay(options: RelayOptions) {
  const { db, queue, redis, log, batchSize = 500 } = options;
  let afterId = 0;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function relayBatch(): Promise<EventToQueue[]> {
    let events: EventToQueue[] = [];
    const scan = { afterId, olderThanMs: options.orphanAgeMs, limit: batchSize };
    const rows = await relayUnfinished(db, scan, async (found) => {
      events = found.map(({ rowId, source }) => ({
        rowId,
        source,
        retry: options.retryPolicies.get(source) ?? DEFAULT_RETRY,
      }));
      await enqueueEvents(queue, events);
    });
    if (rows === undefined) return [];
    // A full batch means more may follow; a short one means the walk starts over next time.
    afterId = rows.length === batchSize ? (rows.at(-1)?.rowId ?? 0) : 0;
    return events;
  }

  /**
   * A row whose job BullMQ failed for good would wait forever, since re-adding a kept job is a
   * no-op. It happens when a job stalls more often than allowed (BullMQ fails it without telling
   * any worker) or when a worker could not record its last failed attempt.
   */
  async function markGivenUpRowsDead(events: readonly EventToQueue[]): Promise<number> {
    const states = await Promise.all(
      events.map(async ({ rowId }) => ({ rowId, state: await queue.getJobState(jobIdFor(rowId)) })),
    );
    let marked = 0;
    for (const { rowId } of states.filter(({ state }) => state === 'failed')) {
      const job = await queue.getJob(jobIdFor(rowId));
      const reason = job?.failedReason || 'the job failed for good';
      await markDeadIfUnfinished(db, rowId, new Error(reason));
      marked += 1;
    }
    return marked;
  }

  async function tick() {
    if (redis.status !== 'ready') return;
    try {
      const events = await relayBatch();
      if (events.length > 0) log.debug({ count: events.length }, 'relay queued rows');
      options.onRequeued?.(events.length);
      const dead = await markGivenUpRowsDead(events);
      if (dead > 0) log.warn({ count: dead }, 'relay marked rows dead whose jobs had failed');
    } catch (error) {
      log.warn({ err: (error as Error).message }, 'relay turn failed; trying again next turn');
    }
  }

  function schedule() {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, options.intervalMs);
  }
  schedule();

  return {
    /** Runs one turn now; for tests and start-up. */
    runOnce: () => tick(),
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

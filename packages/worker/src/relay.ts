import {
  markAllDeliveriesUnqueued,
  markAllUnqueued,
  markDeadIfUnfinished,
  markUnqueued,
  queuedUnfinishedRows,
  unqueuedDeliveries,
  unqueuedRows,
  withRelayLock,
} from '@webhook-inbox/inbox';
import { type QueueDeps, queueDeliveries, queueRows } from '@webhook-inbox/inbox-queue';
import { jobIdFor } from '@webhook-inbox/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { WORKER_NAME } from './worker-name.ts';

/**
 * The relay lock lives on a session of its own, from `db`'s pool. Absent a `deliveryQueue`,
 * only the events' jobs are relayed.
 */
export interface RelayOptions extends QueueDeps {
  /** The queue's connection: the relay skips its turn while Redis is away. */
  readonly redis: Redis;
  readonly log: Logger;
  readonly intervalMs: number;
  /** A row this old with no job known to exist is queued (the ingress had its chance). */
  readonly orphanAgeMs: number;
  /** Rows queued per statement and `addBulk`; a turn goes on until none is left. */
  readonly batchSize?: number;
  /** Rows whose jobs are checked in Redis per turn, so a job removed by hand is found. */
  readonly checksPerTurn?: number;
  /** Told how many jobs each turn (re)added (the metrics). */
  readonly onRequeued?: (count: number) => void;
}

/** What one turn did; undefined when it was skipped (Redis away, another relay's turn). */
export interface RelayTurn {
  /** Redis had lost every job (its marker was gone): every unfinished row was queued again. */
  readonly redisLost: boolean;
  readonly queued: number;
  /** Rows whose jobs had disappeared from Redis, queued again. */
  readonly missing: number;
  /** Rows marked dead because BullMQ had failed their jobs for good. */
  readonly dead: number;
}

const CHECK_CHUNK = 5_000;

type RelaySteps = RelayOptions & { readonly batchSize: number; readonly markerKey: string };

/** The marker is written once Redis's jobs and the table agree; missing means they may not. */
async function requeueAllIfRedisLost({ db, redis, log, markerKey }: RelaySteps): Promise<boolean> {
  if ((await redis.exists(markerKey)) === 1) return false;
  const reset = (await markAllUnqueued(db)) + (await markAllDeliveriesUnqueued(db));
  await redis.set(markerKey, new Date().toISOString());
  if (reset > 0) log.warn({ count: reset }, 'relay found Redis without its jobs: queuing again');
  return true;
}

async function queueUnqueued(steps: RelaySteps, stopped: () => boolean): Promise<number> {
  const { db, queue, retryPolicies, orphanAgeMs, batchSize } = steps;
  let queued = 0;
  for (;;) {
    const rows = await unqueuedRows(db, { olderThanMs: orphanAgeMs, limit: batchSize });
    if (rows.length === 0) return queued;
    await queueRows({ db, queue, retryPolicies }, rows);
    queued += rows.length;
    if (rows.length < batchSize || stopped()) return queued;
  }
}

/** Ledger rows still to deliver whose jobs were never added, or were lost with Redis. */
async function queueUnqueuedDeliveries(steps: RelaySteps, stopped: () => boolean) {
  const { db, deliveryQueue, orphanAgeMs, batchSize } = steps;
  let queued = 0;
  if (!deliveryQueue) return queued;
  for (;;) {
    const deliveries = await unqueuedDeliveries(db, { olderThanMs: orphanAgeMs, limit: batchSize });
    await queueDeliveries({ db, deliveryQueue }, deliveries);
    queued += deliveries.length;
    if (deliveries.length < batchSize || stopped()) return queued;
  }
}

/** Whether each row's job exists and whether BullMQ failed it for good, in one pipeline. */
async function jobStates({ queue, redis }: RelaySteps, rowIds: readonly number[]) {
  const pipeline = redis.pipeline();
  for (const rowId of rowIds) {
    pipeline.exists(queue.toKey(jobIdFor(rowId)));
    pipeline.zscore(queue.keys.failed ?? queue.toKey('failed'), jobIdFor(rowId));
  }
  const replies = (await pipeline.exec()) ?? [];
  return rowIds.map((rowId, i) => {
    const [existsError, exists] = replies[2 * i] ?? [];
    const [failedError, failedScore] = replies[2 * i + 1] ?? [];
    if (existsError || failedError) throw existsError ?? failedError;
    return { rowId, exists: exists === 1, failed: failedScore !== null };
  });
}

/**
 * A row whose job BullMQ failed for good would wait forever, since re-adding a kept job is a
 * no-op. It happens when a job stalls more often than allowed (BullMQ fails it without telling
 * any worker) or when a worker could not record its last failed attempt.
 */
async function markDead({ db, queue }: RelaySteps, rowIds: readonly number[]) {
  for (const rowId of rowIds) {
    const job = await queue.getJob(jobIdFor(rowId));
    await markDeadIfUnfinished(
      db,
      rowId,
      new Error(job?.failedReason || 'the job failed for good'),
      `relay of ${WORKER_NAME}`,
    );
  }
}

/**
 * Walks the queued, unfinished rows a bounded slice per turn, checking that their jobs still
 * exist; the walk's position is kept between turns and starts over after a short slice.
 */
class QueuedJobsWalk {
  #after = 0;

  constructor(
    private readonly steps: RelaySteps,
    private readonly perTurn: number,
  ) {}

  async step(stopped: () => boolean): Promise<{ missing: number; dead: number }> {
    const { db } = this.steps;
    let missing = 0;
    let dead = 0;
    for (let checked = 0; checked < this.perTurn; ) {
      const limit = Math.min(CHECK_CHUNK, this.perTurn - checked);
      const rowIds = await queuedUnfinishedRows(db, { afterId: this.#after, limit });
      checked += rowIds.length;
      this.#after = rowIds.length === limit ? (rowIds.at(-1) ?? 0) : 0;
      const states = await jobStates(this.steps, rowIds);
      const gone = states.filter((state) => !state.exists).map((state) => state.rowId);
      const failed = states.filter((state) => state.failed).map((state) => state.rowId);
      await markUnqueued(db, gone);
      await markDead(this.steps, failed);
      missing += gone.length;
      dead += failed.length;
      if (this.#after === 0 || stopped()) break;
    }
    return { missing, dead };
  }
}

/**
 * Queues every committed row that has no job. The work list is the rows whose `queued_at` is
 * null, so a turn costs what is missing, not the size of the backlog. Jobs can vanish after
 * they were queued, and the relay finds out in two ways: a marker key it keeps in Redis is
 * gone when Redis lost everything (then every unfinished row is queued again), and each turn
 * checks a bounded slice of the queued rows' jobs (a job removed by hand is queued again; a
 * job BullMQ failed for good marks its row dead).
 */
export function startRelay(options: RelayOptions) {
  const steps: RelaySteps = {
    ...options,
    batchSize: options.batchSize ?? 5_000,
    markerKey: options.queue.toKey('relay-marker'),
  };
  const walk = new QueuedJobsWalk(steps, options.checksPerTurn ?? 20_000);
  let stopped = false;
  const isStopped = () => stopped;

  async function turn(): Promise<RelayTurn> {
    const redisLost = await requeueAllIfRedisLost(steps);
    let queued = await queueUnqueued(steps, isStopped);
    queued += await queueUnqueuedDeliveries(steps, isStopped);
    if (redisLost) return { redisLost, queued, missing: 0, dead: 0 };
    const { missing, dead } = await walk.step(isStopped);
    if (missing > 0) queued += await queueUnqueued(steps, isStopped);
    return { redisLost, queued, missing, dead };
  }

  async function tick(): Promise<RelayTurn | undefined> {
    if (options.redis.status !== 'ready') return undefined;
    try {
      const done = await withRelayLock(options.db.pool, turn);
      if (done) options.onRequeued?.(done.queued);
      if (done && (done.queued > 0 || done.dead > 0)) options.log.info(done, 'relay turn');
      return done;
    } catch (error) {
      options.log.warn(
        { err: (error as Error).message },
        'relay turn failed; trying again next turn',
      );
      return undefined;
    }
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
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

import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import type { Redis } from 'ioredis';

/** A queue's `addBulk`, whatever its job: the webhook queue and the delivery queue. */
export interface BulkQueue<J> {
  addBulk(jobs: J[]): Promise<unknown>;
}

/**
 * Adds the jobs in one round trip: BullMQ's addBulk writes one add script call per job into a
 * single pipeline (not a MULTI: each add is atomic on its own, as `add` is). A job whose ID
 * already exists is left as it is.
 */
export async function addJobs<J>(queue: BulkQueue<J>, jobs: readonly J[]): Promise<void> {
  if (jobs.length === 0) return;
  await queue.addBulk([...jobs]);
}

export class EnqueueUnavailableError extends Error {
  override name = 'EnqueueUnavailableError';
}

/** How a caller that must not wait on Redis (the ingress) bounds its enqueue. */
export interface Promptly {
  /** The queue's connection, to tell at once whether Redis is there at all. */
  readonly redis: Redis;
  readonly timeoutMs: number;
}

/**
 * BullMQ's add waits for a connection forever, so this refuses at once while the connection is
 * down and gives up after `timeoutMs` when Redis is reachable but not answering. A job added
 * late anyway is harmless (same job ID).
 */
export async function addJobsPromptly<J>(
  queue: BulkQueue<J>,
  jobs: readonly J[],
  { redis, timeoutMs }: Promptly,
): Promise<void> {
  if (redis.status !== 'ready') throw new EnqueueUnavailableError(`redis is ${redis.status}`);
  if ((await within(addJobs(queue, jobs), timeoutMs)) === TIMED_OUT) {
    throw new EnqueueUnavailableError(`redis did not answer in ${timeoutMs} ms`);
  }
}

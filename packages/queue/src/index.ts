import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { type ConnectionOptions, Queue } from 'bullmq';
import { Redis, type RedisOptions } from 'ioredis';

export const QUEUE_NAME = 'webhooks';

/** Retention's scheduled runs: a queue of its own, under the same prefix. */
export const RETENTION_QUEUE_NAME = 'retention';

/**
 * Job data carries the row's ID, never the payload or a secret: the row is the truth, and
 * Redis memory stays small. Versioned so that a rolling deploy can tell old jobs from new.
 */
export interface WebhookJobData {
  readonly v: 1;
  readonly rowId: number;
  readonly source: string;
}

export interface RetryOptions {
  readonly attempts: number;
  readonly backoffMs: number;
}

/** Derived from the row, so adding one event's job twice is a no-op while the job exists. */
export function jobIdFor(rowId: number): string {
  return `evt-${rowId}`;
}

/**
 * Producers fail fast while Redis is away (the ingress acks anyway; the relay enqueues later);
 * workers wait for it forever, as BullMQ requires of blocking connections.
 */
export function createRedis(url: string, role: 'producer' | 'worker'): Redis {
  const options: RedisOptions =
    role === 'producer'
      ? { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000 }
      : { maxRetriesPerRequest: null };
  return new Redis(url, { ...options, retryStrategy: (times) => Math.min(times * 200, 2_000) });
}

export type WebhookQueue = Queue<WebhookJobData, void, 'webhook'>;

export function createWebhookQueue(connection: ConnectionOptions, prefix: string): WebhookQueue {
  return new Queue<WebhookJobData, void, 'webhook'>(QUEUE_NAME, { connection, prefix });
}

/** How long finished jobs stay in Redis for the dashboard; the inbox table keeps the history. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };

export function jobOptions(rowId: number, retry: RetryOptions) {
  return {
    jobId: jobIdFor(rowId),
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    removeOnComplete: KEEP_COMPLETED,
    removeOnFail: KEEP_FAILED,
  } as const;
}

export interface EventToQueue {
  readonly rowId: number;
  readonly source: string;
  readonly retry: RetryOptions;
}

/** Adds the events' jobs; an event whose job already exists is left as it is. */
export async function enqueueEvents(queue: WebhookQueue, events: readonly EventToQueue[]) {
  await queue.addBulk(
    events.map(({ rowId, source, retry }) => ({
      name: 'webhook' as const,
      data: { v: 1, rowId, source } as const,
      opts: jobOptions(rowId, retry),
    })),
  );
}

export class EnqueueUnavailableError extends Error {
  override name = 'EnqueueUnavailableError';
}

/**
 * For callers that must not wait on Redis (the ingress): BullMQ's add waits for a connection
 * forever, so this refuses at once while the connection is down and gives up after `timeoutMs`
 * when Redis is reachable but not answering. A job added late anyway is harmless (same job ID).
 */
export async function enqueueEventsPromptly(
  queue: WebhookQueue,
  redis: Redis,
  events: readonly EventToQueue[],
  timeoutMs: number,
): Promise<void> {
  if (redis.status !== 'ready') throw new EnqueueUnavailableError(`redis is ${redis.status}`);
  if ((await within(enqueueEvents(queue, events), timeoutMs)) === TIMED_OUT) {
    throw new EnqueueUnavailableError(`redis did not answer in ${timeoutMs} ms`);
  }
}

/** Waits up to `timeoutMs` for the connection; false means carry on without it for now. */
export async function waitForRedis(redis: Redis, timeoutMs: number): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    function onReady() {
      clearTimeout(timer);
      resolve(true);
    }
    redis.once('ready', onReady);
  });
}

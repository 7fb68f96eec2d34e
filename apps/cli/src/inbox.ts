import { createDb, type Database } from '@webhook-inbox/db';
import {
  createDeliveryQueue,
  createRedis,
  createWebhookQueue,
  type DeliveryQueue,
  type WebhookQueue,
  waitForRedis,
} from '@webhook-inbox/queue';
import type { CliEnv } from './env.ts';
import { UsageError } from './output.ts';

/**
 * SQLSTATEs (and socket errors) that mean the database cannot be used as configured, rather
 * than a bug: connection (08), authentication (28), no such database, no tables, shut down.
 */
const UNUSABLE_DATABASE = /^(?:08|28|3D000$|42P01$|57P)|^E[A-Z]+$/;

/** The message of the Postgres or socket error behind `error`, when it is one the user can fix. */
function databaseProblem(error: unknown): string | undefined {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && UNUSABLE_DATABASE.test(code)) return cause.message || code;
    if (cause instanceof AggregateError && cause.errors[0] instanceof Error) {
      return databaseProblem(cause.errors[0]);
    }
    if (/^Connection terminated|timeout exceeded when trying to connect/.test(cause.message)) {
      return cause.message;
    }
  }
  return undefined;
}

/** host:port/database, never the password a URL may carry. */
function where(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

/** The inbox's database, for the duration of one command. */
export async function withDb<T>(env: CliEnv, use: (db: Database) => Promise<T>): Promise<T> {
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    return await use(db);
  } catch (error) {
    const problem = databaseProblem(error);
    if (problem === undefined) throw error;
    throw new UsageError(
      `Postgres at DATABASE_URL (${where(env.DATABASE_URL)}): ${problem} (webhook-inbox doctor tells more)`,
    );
  } finally {
    await db.close();
  }
}

/** The database and the queues, for commands that add or move jobs. */
export async function withQueue<T>(
  env: CliEnv,
  use: (db: Database, queue: WebhookQueue, deliveryQueue: DeliveryQueue) => Promise<T>,
): Promise<T> {
  const redis = createRedis(env.REDIS_URL, 'worker');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.QUEUE_PREFIX);
  queue.on('error', () => {});
  const deliveryQueue = createDeliveryQueue(redis, env.QUEUE_PREFIX);
  deliveryQueue.on('error', () => {});
  try {
    if (!(await waitForRedis(redis, 5_000))) {
      throw new UsageError('Redis at REDIS_URL is not reachable (webhook-inbox doctor tells more)');
    }
    return await withDb(env, (db) => use(db, queue, deliveryQueue));
  } finally {
    await queue.close();
    await deliveryQueue.close();
    redis.disconnect();
  }
}

import { createDb, type DbClient } from '@webhook-inbox/db';
import {
  createRedis,
  createWebhookQueue,
  type WebhookQueue,
  waitForRedis,
} from '@webhook-inbox/queue';
import type { CliEnv } from './env.ts';
import { UsageError } from './output.ts';

/** The inbox's database, for the duration of one command. */
export async function withDb<T>(env: CliEnv, use: (db: DbClient) => Promise<T>): Promise<T> {
  const db = createDb(env.DATABASE_URL, { max: 2 });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

/** The database and the queue, for commands that add or move jobs. */
export async function withQueue<T>(
  env: CliEnv,
  use: (db: DbClient, queue: WebhookQueue) => Promise<T>,
): Promise<T> {
  const redis = createRedis(env.REDIS_URL, 'worker');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.QUEUE_PREFIX);
  queue.on('error', () => {});
  try {
    if (!(await waitForRedis(redis, 5_000))) {
      throw new UsageError('Redis at REDIS_URL is not reachable (webhook-inbox doctor tells more)');
    }
    return await withDb(env, (db) => use(db, queue));
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

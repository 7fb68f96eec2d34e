import { randomBytes } from 'node:crypto';
import { createDb, type Database, dropDatabase, migrateDatabase } from '@webhook-inbox/db';
import { migratePayments } from '@webhook-inbox/example-payments';
import {
  createDeliveryQueue,
  createRedis,
  createWebhookQueue,
  type DeliveryQueue,
  type WebhookQueue,
} from '@webhook-inbox/queue';
import type { Redis } from 'ioredis';
import { testServices } from './env.ts';

export interface TestEnvironment {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly queuePrefix: string;
  readonly db: Database;
  /** A producer connection and the queue on this run's prefix. */
  readonly redis: Redis;
  readonly queue: WebhookQueue;
  /** The HTTP destinations' deliveries queue on this run's prefix. */
  readonly deliveryQueue: DeliveryQueue;
  /** Drops the database and every Redis key under the prefix. */
  cleanup(): Promise<void>;
}

export function uniqueName(kind: string): string {
  return `wi_test_${kind}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/**
 * A database of its own with the product's tables and the payments example's `accounts`, as
 * the example's migrate step leaves it: most end-to-end tests run the example's handlers.
 */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = uniqueName('db');
  const url = new URL(testServices.postgresUrl);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  await migratePayments(url.toString());
  return { url: url.toString(), drop: () => dropDatabase(url.toString()) };
}

// Deletes in chunks: Lua's unpack() refuses more values than its stack holds.
const DELETE_MATCHING = `
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys, 1000 do
  redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys)))
end
return #keys`;

/**
 * Deletes every key under the prefix in one script, so at once: the loss a test stages is the
 * one a Redis restarted without its data causes. Deleted a scan page at a time, a relay turn
 * between two pages re-adds jobs that a later page half deletes, which no real loss leaves: a
 * hash in no list is never run, and a list entry whose hash is gone runs with no data and ends
 * as missing while its row waits.
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = createRedis(redisUrl, 'worker');
  try {
    await redis.eval(DELETE_MATCHING, 0, `${prefix}:*`);
  } finally {
    redis.disconnect();
  }
}

export async function createTestEnvironment(): Promise<TestEnvironment> {
  const database = await createTestDatabase();
  const queuePrefix = uniqueName('q');
  const db = createDb(database.url);
  const redis = createRedis(testServices.redisUrl, 'producer');
  const queue = createWebhookQueue(redis, queuePrefix);
  const deliveryQueue = createDeliveryQueue(redis, queuePrefix);
  await Promise.all([queue.waitUntilReady(), deliveryQueue.waitUntilReady()]);
  return {
    databaseUrl: database.url,
    redisUrl: testServices.redisUrl,
    queuePrefix,
    db,
    redis,
    queue,
    deliveryQueue,
    async cleanup() {
      await queue.close();
      await deliveryQueue.close();
      redis.disconnect();
      await db.close();
      await deleteRedisKeys(testServices.redisUrl, queuePrefix);
      await database.drop();
    },
  };
}

/** Polls until `check` returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 25, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

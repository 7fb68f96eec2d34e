import { createRedis } from '@webhook-inbox/queue';
import {
  deleteRedisKeys,
  paymentsWithDuplicates,
  STACK_SECRET,
  sendPayments,
  TestStack,
  testServices,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: TestStack;
let prefix: string;

beforeAll(async () => {
  stack = await TestStack.create();
  // As on Redis Cluster: every key of the queue in the slot of one hash tag.
  prefix = `{${stack.queuePrefix}}`;
});
afterAll(async () => {
  await stack.stop();
  await deleteRedisKeys(testServices.redisUrl, prefix);
});

describe('a hash-tagged queue prefix', () => {
  it('runs the pipeline end to end, every key under the tag', async () => {
    const ingress = await stack.startIngress({ QUEUE_PREFIX: prefix });
    await stack.startWorker({ QUEUE_PREFIX: prefix });
    const events = paymentsWithDuplicates('tag', 40, 10, 5);
    const results = await sendPayments(events, {
      concurrency: 4,
      url: () => ingress.url,
      secret: STACK_SECRET,
    });
    expect(results.every((result) => result.status === 200)).toBe(true);
    await stack.waitUntilProcessed(events);
    expect(await stack.reconcile(events)).toEqual([]);

    const redis = createRedis(testServices.redisUrl, 'worker');
    try {
      const keys = await redis.keys(`${prefix}:webhooks:*`);
      expect(keys.length).toBeGreaterThan(0);
      expect(await redis.keys(`${stack.queuePrefix}:*`)).toEqual([]);
    } finally {
      redis.disconnect();
    }
  });
});

import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  paymentEvent,
  storeAndQueue,
  TestStack,
  testServices,
  waitFor,
} from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCKING_LOCK } from './fixtures/blocking-handlers.ts';

// A real worker process killed (SIGKILL) while it runs the head of an ordering key: the key's
// lock dies with its connection, and the key goes on in order after a restart.

const HANDLERS_MODULE = 'packages/worker/test/fixtures/blocking-handlers.ts';
// One job per group, so that each event of the key tries the key on its own.
const WORKER = { HANDLERS_MODULE, WORKER_GROUP_SIZE: '1', WORKER_GROUP_WAIT_MS: '0' };
const byCustomer = { key: ['data.customer_id'], by: 'received' };

let stack: TestStack;

beforeEach(async () => {
  stack = await TestStack.create();
});
afterEach(async () => {
  await stack.stop();
});

const processedIn = async (eventIds: readonly string[]) =>
  (
    await stack.db.rows<{ n: number }>(
      `select count(*)::int as n from webhook_events where status = 'processed' and event_id = any($1)`,
      [eventIds],
    )
  )[0]?.n;

describe('a worker killed while it runs the head of an ordering key', () => {
  it('holds the key’s later events back, lets other keys run, and runs the key in order after a restart', async () => {
    const redis = createRedis(testServices.redisUrl, 'producer');
    const queue = createWebhookQueue(redis, stack.queuePrefix);
    const holder = await stack.db.pool.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [BLOCKING_LOCK]);
      const worker = await stack.startWorker(WORKER);
      const stuck = ['o_1_block', 'o_2', 'o_3'];
      const free = ['x_1', 'x_2'];
      for (const [eventId, customer] of [
        ...stuck.map((id) => [id, 'cus_ordered'] as const),
        ...free.map((id) => [id, 'cus_free'] as const),
      ]) {
        const body = JSON.stringify(paymentEvent(customer, 10, eventId));
        await storeAndQueue(
          { db: stack.db, queue },
          { eventId, body, ordering: byCustomer },
          { attempts: 10, backoffMs: 200 },
        );
      }
      await waitFor(async () => ((await processedIn(free)) === free.length ? true : undefined), {
        what: 'the other key’s events to run meanwhile',
      });
      const [waiting] = await stack.db.rows<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
         where datname = current_database() and wait_event = 'advisory'`,
      );
      expect(waiting?.n).toBe(1);
      expect(await processedIn(stuck)).toBe(0);

      worker.kill('SIGKILL');
      await worker.exited;
      await holder.query('select pg_advisory_unlock($1)', [BLOCKING_LOCK]);
      await stack.startWorker(WORKER);
      await waitFor(async () => ((await processedIn(stuck)) === stuck.length ? true : undefined), {
        timeoutMs: 45_000,
        what: 'the key’s events to run after the restart',
      });
      // In the order they were received, each once: one history entry each, credited once.
      const order = await stack.db.rows<{ event_id: string; attempts: number }>(
        `select w.event_id, w.attempts from webhook_event_attempts a
         join webhook_events w on w.id = a.event_row_id
         where w.event_id = any($1) order by a.id`,
        [stuck],
      );
      expect(order).toEqual(stuck.map((eventId) => ({ event_id: eventId, attempts: 1 })));
      const [account] = await stack.db.rows<{ balance: string }>(
        `select balance from accounts where id = 'cus_ordered'`,
      );
      expect(account?.balance).toBe('30');
    } finally {
      holder.release();
      await queue.close();
      redis.disconnect();
    }
    // Two worker processes start and one is killed, with a stalled-job recovery between.
  }, 90_000);
});

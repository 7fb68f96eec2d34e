import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  paymentEvent,
  storeAndQueue,
  TestStack,
  testServices,
  waitFor,
} from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BLOCKING_LOCK, loyaltyAccount } from './fixtures/blocking-handlers.ts';

// A real worker process killed (SIGKILL) while its group's transaction is open, one handler
// stuck inside a statement and the others' writes done but not committed: every event has two
// subscribers, and neither's writes nor ledger rows survive the kill.

const HANDLERS_MODULE = 'packages/worker/test/fixtures/blocking-handlers.ts';
const WORKER = { HANDLERS_MODULE, WORKER_GROUP_SIZE: '8', WORKER_GROUP_WAIT_MS: '300' };

let stack: TestStack;

beforeEach(async () => {
  stack = await TestStack.create();
});
afterEach(async () => {
  await stack.stop();
});

const count = async (where: string, values: unknown[]) =>
  (await stack.db.rows<{ n: number }>(`select count(*)::int as n from ${where}`, values))[0]?.n;

describe('a worker killed in the middle of a group', () => {
  it('leaves no trace of the group, and every event is processed exactly once after a restart', async () => {
    const redis = createRedis(testServices.redisUrl, 'producer');
    const queue = createWebhookQueue(redis, stack.queuePrefix);
    const holder = await stack.db.pool.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [BLOCKING_LOCK]);
      const worker = await stack.startWorker(WORKER);
      const eventIds = ['k_0', 'k_1', 'k_2', 'k_3', 'k_4_block'];
      for (const [i, eventId] of eventIds.entries()) {
        const body = JSON.stringify(paymentEvent(`cus_${eventId}`, 10 + i, eventId));
        await storeAndQueue(
          { db: stack.db, queue },
          { eventId, body },
          { attempts: 10, backoffMs: 200 },
        );
      }
      await waitFor(
        async () =>
          (await count(
            `pg_stat_activity where datname = current_database() and wait_event = 'advisory'`,
            [],
          )) === 1 || undefined,
        { what: 'the blocking handler to wait for its lock' },
      );
      // The whole group is one transaction: nothing of it is committed while one handler waits.
      expect(await count(`webhook_events where status = 'processed'`, [])).toBe(0);

      worker.kill('SIGKILL');
      await worker.exited;
      expect(await count('accounts', [])).toBe(0);
      expect(await count('event_subscribers', [])).toBe(0);
      await holder.query('select pg_advisory_unlock($1)', [BLOCKING_LOCK]);
      await stack.startWorker(WORKER);
      await waitFor(
        async () =>
          (await count(`webhook_events where status = 'processed'`, [])) === eventIds.length ||
          undefined,
        { timeoutMs: 20_000, what: 'every event to be processed' },
      );
      const rows = await stack.db.rows<{ event_id: string; attempts: number; balance: string }>(
        `select w.event_id, w.attempts, a.balance from webhook_events w
         join accounts a on a.id = 'cus_' || w.event_id order by w.event_id`,
      );
      expect(rows).toEqual(
        eventIds.map((eventId, i) => ({ event_id: eventId, attempts: 1, balance: String(10 + i) })),
      );
      const loyalty = await stack.db.rows<{ id: string; balance: string }>(
        `select id, balance from accounts where id like 'loyalty_%' order by id`,
      );
      expect(loyalty).toEqual(
        eventIds.map((eventId, i) => ({
          id: loyaltyAccount(`cus_${eventId}`),
          balance: String(10 + i),
        })),
      );
      const ledger = await stack.db.rows<{ subscriber: string; status: string; attempts: number }>(
        `select subscriber, status, attempts from event_subscribers order by event_row_id, subscriber`,
      );
      expect(ledger).toEqual(
        eventIds.flatMap(() => [
          { subscriber: 'default', status: 'processed', attempts: 1 },
          { subscriber: 'loyalty', status: 'processed', attempts: 1 },
        ]),
      );
      // The killed group left no attempt behind: one history entry per event.
      expect(await count('webhook_event_attempts', [])).toBe(eventIds.length);
    } finally {
      holder.release();
      await queue.close();
      redis.disconnect();
    }
  });
});

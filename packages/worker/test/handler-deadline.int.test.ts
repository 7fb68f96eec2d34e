import { createDb, type Database } from '@webhook-inbox/db';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import {
  accountBalance,
  environmentPerFile,
  eventState,
  paymentEvent,
  storeAndQueue,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHandlers, type Handler } from '../src/registry.ts';
import { workerFor } from './support.ts';

const DEADLINE_MS = 1_500;
const credit = exampleHandlers.find('payments', 'payment.succeeded') as Handler;

const env = environmentPerFile();
let db: Database;

beforeAll(async () => {
  db = createDb(env.databaseUrl, { max: 4 });
});
afterAll(async () => {
  await db.close();
});

/** A worker whose attempts end after DEADLINE_MS, with a lock shorter than that deadline. */
function startWorker(handler: Handler) {
  const worker = workerFor(env, defineHandlers().on('payments', 'payment.succeeded', handler), {
    db,
    concurrency: 2,
    stall: { lockDurationMs: 600, stalledIntervalMs: 300, maxStalledCount: 0 },
    handlerTimeoutMs: () => DEADLINE_MS,
  });
  let stalls = 0;
  worker.worker.on('stalled', () => {
    stalls += 1;
  });
  return { stalls: () => stalls, close: () => worker.close() };
}

/** Sessions of this test's database still inside a transaction: a leaked attempt would be one. */
async function openTransactions() {
  const [found] = await env.db.rows<{ n: number }>(
    `select count(*)::int as n from pg_stat_activity
     where datname = current_database() and state like 'idle in transaction%'`,
  );
  return found?.n;
}

describe('a handler past its deadline', () => {
  it('fails the attempt in time, drops its connection, and succeeds on retry once fixed', async () => {
    const retry = { attempts: 5, backoffMs: 500 };
    let hang = true;
    let started = 0;
    const worker = startWorker(async (event, context) => {
      started ||= Date.now();
      if (hang) await new Promise(() => {});
      await credit(event, context);
    });
    try {
      await storeAndQueue(
        env,
        { eventId: 'evt_hung', body: JSON.stringify(paymentEvent('cus_hung', 30, 'evt_hung')) },
        retry,
      );
      await waitForEventStatus(env, 'evt_hung', 'failed');
      expect(Date.now() - started).toBeLessThan(DEADLINE_MS + 2_000);
      expect(await eventState(env, 'evt_hung')).toMatchObject({ attempts: 1 });
      expect((await eventState(env, 'evt_hung'))?.last_error).toMatch(
        /^HandlerTimeoutError: the attempt did not finish within 1500 ms/,
      );
      // Its connection was destroyed: Postgres holds no transaction and no row lock for it.
      expect(await openTransactions()).toBe(0);

      hang = false;
      await waitForEventStatus(env, 'evt_hung', 'processed');
      expect(await eventState(env, 'evt_hung')).toMatchObject({ attempts: 2, last_error: null });
      expect(await accountBalance(env, 'cus_hung')).toBe(30);
      // No client left checked out: the hung attempt's was destroyed, not leaked.
      await waitFor(async () => (db.pool.idleCount === db.pool.totalCount ? true : undefined), {
        what: 'every pooled connection to be idle',
      });
      // A live worker renews its lock however long the handler runs: no stall, no second run.
      expect(worker.stalls()).toBe(0);
    } finally {
      await worker.close();
    }
  });

  it('refuses a write the abandoned handler makes after the deadline', async () => {
    const retry = { attempts: 5, backoffMs: 200 };
    let calls = 0;
    let late: Promise<unknown> | undefined;
    const worker = startWorker(async (event, context) => {
      calls += 1;
      if (calls === 1) {
        await new Promise((resolve) => setTimeout(resolve, DEADLINE_MS + 500));
        late = credit(event, context).then(
          () => 'written',
          // drizzle wraps the driver's error, with the reason as its cause
          (error: Error) => (error.cause as Error | undefined)?.message ?? error.message,
        );
        return;
      }
      await credit(event, context);
    });
    try {
      await storeAndQueue(
        env,
        { eventId: 'evt_late', body: JSON.stringify(paymentEvent('cus_late', 40, 'evt_late')) },
        retry,
      );
      await waitForEventStatus(env, 'evt_late', 'processed');
      await waitFor(async () => late, { what: 'the late write' });
      expect(await late).toBe('this transaction is over: its attempt ended');
      expect(await accountBalance(env, 'cus_late')).toBe(40);
      expect(await eventState(env, 'evt_late')).toMatchObject({ attempts: 2 });
    } finally {
      await worker.close();
    }
  });

  it('stops a handler stuck inside a statement, so its row lock is freed for the retry', async () => {
    const retry = { attempts: 5, backoffMs: 200 };
    let calls = 0;
    const worker = startWorker(async (event, context) => {
      calls += 1;
      if (calls === 1) await context.tx.execute(sql`select pg_sleep(60)`);
      await credit(event, context);
    });
    try {
      await storeAndQueue(
        env,
        { eventId: 'evt_stuck', body: JSON.stringify(paymentEvent('cus_stuck', 50, 'evt_stuck')) },
        retry,
      );
      await waitForEventStatus(env, 'evt_stuck', 'processed', 10_000);
      expect(await eventState(env, 'evt_stuck')).toMatchObject({ attempts: 2, last_error: null });
      expect(await accountBalance(env, 'cus_stuck')).toBe(50);
      await waitFor(
        async () => {
          const [sleeping] = await env.db.rows<{ n: number }>(
            `select count(*)::int as n from pg_stat_activity
             where datname = current_database() and query like 'select pg_sleep%'`,
          );
          return sleeping?.n === 0 ? true : undefined;
        },
        { what: 'the stuck statement to be stopped' },
      );
    } finally {
      await worker.close();
    }
  });
});

import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { jobIdFor } from '@webhook-inbox/queue';
import {
  deleteRedisKeys,
  environmentPerFile,
  ingressFor,
  paymentEvent,
  signedPayment,
  silentLog,
  waitFor,
} from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { startRelay } from '../packages/worker/src/relay.ts';
import { workerFor } from '../packages/worker/test/support.ts';

const env = environmentPerFile();

/** A relay that turns only when told to, with every row old enough to be its business. */
const relay = () =>
  startRelay({
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    retryPolicies: new Map(),
    log: silentLog,
    intervalMs: 60_000,
    orphanAgeMs: 1,
    batchSize: 7,
    checksPerTurn: 1_000,
  });

async function store(prefix: string, count: number, customer: string) {
  const app = ingressFor(env);
  try {
    const rowIds: number[] = [];
    for (let i = 0; i < count; i += 1) {
      const body = JSON.stringify(paymentEvent(customer, 10, `${prefix}_${i}`));
      expect((await app.inject(signedPayment(body))).statusCode).toBe(200);
    }
    const rows = await env.db.rows<{ id: string }>(
      `select id from webhook_events where event_id like $1 order by id`,
      [`${prefix}\\_%`],
    );
    rowIds.push(...rows.map((row) => Number(row.id)));
    return rowIds;
  } finally {
    await app.close();
  }
}

const queuedAt = async (rowId: number) =>
  (
    await env.db.rows<{ queued_at: Date | null }>(
      'select queued_at from webhook_events where id = $1',
      [rowId],
    )
  )[0]?.queued_at;

async function processAll(rowIds: readonly number[], customer: string) {
  const worker = workerFor(env, exampleHandlers);
  try {
    await waitFor(
      async () => {
        const [row] = await env.db.rows<{ n: number }>(
          `select count(*)::int as n from webhook_events where id = any($1) and status = 'processed'`,
          [rowIds],
        );
        return row?.n === rowIds.length ? true : undefined;
      },
      { what: `${rowIds.length} rows to be processed` },
    );
  } finally {
    await worker.close();
  }
  const [account] = await env.db.rows<{ balance: string }>(
    'select balance from accounts where id = $1',
    [customer],
  );
  expect(Number(account?.balance)).toBe(10 * rowIds.length);
}

describe('the relay, with a queued backlog', () => {
  it('queues again a job removed from Redis by hand, and only that one', async () => {
    const rowIds = await store('evt_removed', 20, 'cus_removed');
    const turns = relay();
    try {
      await turns.runOnce();
      for (const rowId of rowIds) expect(await queuedAt(rowId)).toBeInstanceOf(Date);
      const lost = rowIds[11] ?? -1;
      expect(await env.queue.remove(jobIdFor(lost))).toBe(1);

      expect(await turns.runOnce()).toEqual({ redisLost: false, queued: 1, missing: 1, dead: 0 });
      expect(await env.queue.getJobState(jobIdFor(lost))).toBe('waiting');
      expect(await turns.runOnce()).toEqual({ redisLost: false, queued: 0, missing: 0, dead: 0 });
    } finally {
      await turns.stop();
    }
    await processAll(rowIds, 'cus_removed');
  });

  it('queues every unfinished event again after Redis lost all its jobs', async () => {
    const rowIds = await store('evt_flushed', 30, 'cus_flushed');
    const turns = relay();
    try {
      await turns.runOnce();
      // Every key under this test's prefix, as a Redis restart without persistence would.
      await deleteRedisKeys(env.redisUrl, env.queuePrefix);
      expect(await env.queue.getJob(jobIdFor(rowIds[0] ?? -1))).toBeUndefined();

      const turn = await turns.runOnce();
      expect(turn?.redisLost).toBe(true);
      expect(turn?.queued).toBeGreaterThanOrEqual(rowIds.length);
      for (const rowId of rowIds) {
        expect(await env.queue.getJobState(jobIdFor(rowId))).toBe('waiting');
      }
      expect((await turns.runOnce())?.redisLost).toBe(false);
    } finally {
      await turns.stop();
    }
    await processAll(rowIds, 'cus_flushed');
  });
});

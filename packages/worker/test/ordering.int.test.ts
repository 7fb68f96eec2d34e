import type { OrderingSpec } from '@webhook-inbox/config';
import { blockedKeys } from '@webhook-inbox/inbox';
import { queueRows, replayEvent, skipAndWake } from '@webhook-inbox/inbox-queue';
import { WEBHOOK_JOB_NAME } from '@webhook-inbox/queue';
import {
  createTestEnvironment,
  deleteRedisKeys,
  silentLog,
  storeRow,
  type TestEnvironment,
  waitFor,
} from '@webhook-inbox/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineHandlers, type WebhookEvent } from '../src/registry.ts';
import { startRelay } from '../src/relay.ts';
import { workerFor } from './support.ts';

const SOURCE = 'orders';
const retry = { attempts: 2, backoffMs: 100 };
const retryPolicies = new Map([[SOURCE, retry]]);

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
  // What each handler applied, in commit order per key: a row per committed handler call.
  await env.db.rows(
    `create table applied (n bigserial primary key, key text not null, seq int not null)`,
  );
});
afterAll(async () => {
  await env.cleanup();
});

interface Payload {
  readonly key: string;
  readonly seq: number;
  readonly poison?: boolean;
}

/** Each handler call, with how many calls of its key were running at that moment. */
interface Call {
  readonly key: string;
  readonly seq: number;
  readonly runningOfKey: number;
  readonly ordering: WebhookEvent['ordering'];
}

/**
 * `workers` BullMQ workers of 4 concurrent jobs each, as separate processes would be (they
 * share nothing but Postgres and Redis), recording every handler call in one list.
 */
function startWorkers({
  fail,
  workers = 1,
}: {
  fail?: (payload: Payload) => boolean;
  workers?: number;
} = {}) {
  const calls: Call[] = [];
  const running = new Map<string, number>();
  const handlers = defineHandlers().on(SOURCE, 'order.updated', async (event, { tx }) => {
    const payload = event.payload as Payload;
    const runningOfKey = (running.get(payload.key) ?? 0) + 1;
    running.set(payload.key, runningOfKey);
    calls.push({ key: payload.key, seq: payload.seq, runningOfKey, ordering: event.ordering });
    try {
      // A yield inside the handler, so that another call of the key could overlap it.
      await new Promise((resolve) => setTimeout(resolve, 2));
      if (fail?.(payload)) throw new Error(`poison ${payload.key}/${payload.seq}`);
      await tx.execute(sql`insert into applied (key, seq) values (${payload.key}, ${payload.seq})`);
    } finally {
      running.set(payload.key, (running.get(payload.key) ?? 1) - 1);
    }
  });
  const started = Array.from({ length: workers }, () =>
    workerFor(env, handlers, {
      concurrency: 4,
      handlerTimeoutMs: () => 5_000,
      group: { size: 2, waitMs: 5 },
      queue: env.queue,
      orderWait: { firstMs: 1_000, maxMs: 5_000 },
    }),
  );
  return {
    calls,
    async close() {
      for (const worker of started) await worker.close();
    },
  };
}

const byReceived: OrderingSpec = { key: ['key'], by: 'received' };

/** Stores the events in the order given (their row order), returning their row IDs. */
async function store(prefix: string, events: readonly Payload[], ordering = byReceived) {
  const rowIds: number[] = [];
  for (const event of events) {
    const { rowId } = await storeRow(env, {
      source: SOURCE,
      eventId: `${prefix}_${event.key}_${event.seq}`,
      eventType: 'order.updated',
      body: JSON.stringify(event),
      ordering,
    });
    rowIds.push(rowId);
  }
  return rowIds;
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Every row's job in a shuffled order, and a second job for some rows (a redelivery). */
async function queueShuffledWithDuplicates(rowIds: readonly number[]) {
  const db = env.db;
  const queue = env.queue;
  await queueRows(
    { db, queue, retryPolicies },
    shuffled(rowIds).map((rowId) => ({ rowId, source: SOURCE })),
  );
  const again = shuffled(rowIds).slice(0, Math.ceil(rowIds.length / 3));
  await queue.addBulk(
    again.map((rowId) => ({
      name: WEBHOOK_JOB_NAME,
      data: { v: 1 as const, rowId, source: SOURCE },
      opts: { jobId: `again-${rowId}`, attempts: retry.attempts },
    })),
  );
}

async function appliedOf(prefixKeys: readonly string[]) {
  const rows = await env.db.rows<{ key: string; seq: number }>(
    `select key, seq from applied where key = any($1) order by n`,
    [prefixKeys],
  );
  const byKey = new Map<string, number[]>();
  for (const row of rows) byKey.set(row.key, [...(byKey.get(row.key) ?? []), row.seq]);
  return byKey;
}

async function statusCounts(rowIds: readonly number[]) {
  const rows = await env.db.rows<{ status: string; n: number }>(
    `select status, count(*)::int as n from webhook_events where id = any($1) group by status`,
    [rowIds],
  );
  return Object.fromEntries(rows.map((row) => [row.status, row.n]));
}

const allProcessed = (rowIds: readonly number[], what: string) =>
  waitFor(
    async () => ((await statusCounts(rowIds)).processed === rowIds.length ? true : undefined),
    { timeoutMs: 20_000, what },
  );

/** Round-robin over the keys: seq 1 of each key, then seq 2 of each, ... */
function interleaved(keys: readonly string[], perKey: number): Payload[] {
  return Array.from({ length: perKey }, (_, i) => keys.map((key) => ({ key, seq: i + 1 }))).flat();
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describe('events ordered by key', () => {
  it('runs each key’s events one at a time, in order and exactly once, whatever the job order', async () => {
    const keys = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6', 'k7', 'k8'];
    const rowIds = await store('a', interleaved(keys, 25));
    await queueShuffledWithDuplicates(rowIds);
    const worker = startWorkers({ workers: 2 });
    try {
      await allProcessed(rowIds, 'every ordered event to be processed');
      const applied = await appliedOf(keys);
      for (const key of keys) expect(applied.get(key)).toEqual(range(25));
      // The handler, too, saw each key in order, never two of one key at once.
      for (const key of keys) {
        const seen = worker.calls.filter((call) => call.key === key);
        expect(seen.map((call) => call.seq)).toEqual(range(25));
        expect(Math.max(...seen.map((call) => call.runningOfKey))).toBe(1);
      }
      const [attempts] = await env.db.rows<{ max: number }>(
        `select max(attempts)::int as max from webhook_events where id = any($1)`,
        [rowIds],
      );
      // A job that waited for its key spent no attempt.
      expect(attempts?.max).toBe(1);
    } finally {
      await worker.close();
    }
  });

  it('blocks only the key of a failing event, until it is skipped or replayed', async () => {
    const keys = ['p-skip', 'p-replay', 'p-free'];
    const events = interleaved(keys, 4).map((event) =>
      event.seq === 2 && event.key !== 'p-free' ? { ...event, poison: true } : event,
    );
    const rowIds = await store('b', events);
    let poisonCured = false;
    const worker = startWorkers({ fail: (payload) => Boolean(payload.poison) && !poisonCured });
    await queueShuffledWithDuplicates(rowIds);
    try {
      const poisoned = (key: string) => rowIds[events.findIndex((e) => e.key === key && e.poison)];
      const skipRow = poisoned('p-skip') as number;
      const replayRow = poisoned('p-replay') as number;
      await waitFor(
        async () => ((await statusCounts([skipRow, replayRow])).dead === 2 ? true : undefined),
        { what: 'both poison events to be dead' },
      );
      // The free key went on; each blocked key stopped at its poison event.
      let applied = await appliedOf(keys);
      await waitFor(async () =>
        (await appliedOf(keys)).get('p-free')?.length === 4 ? true : undefined,
      );
      applied = await appliedOf(keys);
      expect(applied.get('p-free')).toEqual([1, 2, 3, 4]);
      expect(applied.get('p-skip')).toEqual([1]);
      expect(applied.get('p-replay')).toEqual([1]);
      // An operator sees each blocked key, the event holding it and how many wait behind it.
      expect(await blockedKeys(env.db.pool)).toEqual([
        expect.objectContaining({
          key: 'p-skip',
          blockingRowId: skipRow,
          status: 'dead',
          waiting: 2,
        }),
        expect.objectContaining({
          key: 'p-replay',
          blockingRowId: replayRow,
          status: 'dead',
          waiting: 2,
        }),
      ]);

      const deps = { db: env.db, queue: env.queue, actor: 'test' };
      expect(await skipAndWake(deps, skipRow)).toMatchObject({ kind: 'skipped' });
      poisonCured = true;
      expect(
        await replayEvent({ ...deps, deliveryQueue: env.deliveryQueue, retryPolicies }, replayRow),
      ).toMatchObject({
        kind: 'replayed',
      });
      await waitFor(
        async () => {
          const now = await appliedOf(keys);
          return now.get('p-skip')?.length === 3 && now.get('p-replay')?.length === 4
            ? now
            : undefined;
        },
        { what: 'the blocked keys to go on' },
      );
      applied = await appliedOf(keys);
      expect(applied.get('p-skip')).toEqual([1, 3, 4]);
      expect(applied.get('p-replay')).toEqual([1, 2, 3, 4]);
      expect(await statusCounts([skipRow])).toEqual({ ignored: 1 });
      expect(await blockedKeys(env.db.pool)).toEqual([]);
      const [history] = await env.db.rows<{ kind: string; actor: string }>(
        `select kind, actor from webhook_event_attempts where event_row_id = $1 order by id desc limit 1`,
        [skipRow],
      );
      expect(history).toEqual({ kind: 'skip', actor: 'test' });
    } finally {
      await worker.close();
    }
  });

  it('refuses to skip an event that holds nothing back', async () => {
    const deps = { db: env.db, queue: env.queue, actor: 'test' };
    const [ordered] = await store('c', [{ key: 'c1', seq: 1 }]);
    await env.db.rows(`update webhook_events set status = 'processed' where id = $1`, [ordered]);
    const { rowId: unordered } = await storeRow(env, {
      source: SOURCE,
      eventId: 'c_unordered',
      body: JSON.stringify({ seq: 1 }),
    });
    expect(await skipAndWake(deps, ordered as number)).toEqual({
      kind: 'not_skippable',
      status: 'processed',
    });
    expect(await skipAndWake(deps, unordered)).toEqual({ kind: 'not_ordered' });
    expect(await skipAndWake(deps, 999_999_999)).toEqual({ kind: 'missing' });
  });

  it('keeps each key’s order when Redis loses every job mid-run: the relay queues them again', async () => {
    const keys = ['r1', 'r2', 'r3', 'r4'];
    const rowIds = await store('d', interleaved(keys, 10));
    let requeued = 0;
    const relay = startRelay({
      db: env.db,
      queue: env.queue,
      redis: env.redis,
      retryPolicies,
      log: silentLog,
      intervalMs: 200,
      orphanAgeMs: 1,
      onRequeued: (count) => {
        requeued += count;
      },
    });
    const worker = startWorkers();
    try {
      await queueShuffledWithDuplicates(rowIds);
      await waitFor(async () => ((await statusCounts(rowIds)).processed ?? 0) >= 4 || undefined, {
        what: 'a few events to be processed',
      });
      const requeuedBefore = requeued;
      await deleteRedisKeys(env.redisUrl, env.queuePrefix);
      await allProcessed(rowIds, 'every event, after Redis lost its jobs');
      expect(requeued).toBeGreaterThan(requeuedBefore);
      const applied = await appliedOf(keys);
      for (const key of keys) expect(applied.get(key)).toEqual(range(10));
    } finally {
      await worker.close();
      await relay.stop();
    }
  });
});

import { webhookEventAttempts, webhookEvents } from '@webhook-inbox/db';
import {
  beginClaims,
  countPrunable,
  markHandledAndCommit,
  type RetentionStep,
  recordFailure,
  runRetention,
} from '@webhook-inbox/inbox';
import { environmentPerFile, storeRow } from '@webhook-inbox/testing';
import { asc, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';

const DAY_MS = 24 * 3600 * 1000;
const ATTEMPT = { worker: 'test worker', startedAt: new Date(), durationMs: 3 };
const policyAt = (days: number) => ({
  payloadDays: 30,
  deleteDays: 90,
  batchSize: 2,
  now: new Date(Date.now() + days * DAY_MS),
});

const env = environmentPerFile();

const store = (eventId: string) =>
  storeRow(env, { eventId, body: JSON.stringify({ id: eventId, amount: 1 }) });

async function finish(eventId: string, status: 'processed' | 'ignored') {
  const { rowId } = await store(eventId);
  const client = await env.db.pool.connect();
  try {
    await beginClaims(client, [rowId]);
    await markHandledAndCommit(client, [{ rowId, status, attempt: ATTEMPT }]);
  } finally {
    client.release();
  }
}

async function fail(eventId: string, final: boolean) {
  const { rowId } = await store(eventId);
  await recordFailure(env.db, rowId, new Error('handler failed'), final, ATTEMPT);
}

const rows = () =>
  env.db
    .select({
      eventId: webhookEvents.eventId,
      status: webhookEvents.status,
      payload: webhookEvents.payload,
      headers: webhookEvents.headers,
      prunedAt: webhookEvents.prunedAt,
    })
    .from(webhookEvents)
    .orderBy(asc(webhookEvents.id));

beforeAll(async () => {
  for (const id of ['p1', 'p2', 'p3', 'p4', 'p5']) await finish(id, 'processed');
  await finish('i1', 'ignored');
  await fail('d1', true);
  await fail('f1', false);
  await store('r1');
});

describe('retention', () => {
  it('prunes nothing younger than its periods', async () => {
    expect(await countPrunable(env.db, policyAt(29))).toEqual({ delete: 0, tombstone: 0 });
    expect(await runRetention(env.db, policyAt(29))).toEqual({
      kind: 'ran',
      pruned: { delete: 0, tombstone: 0 },
    });
    expect((await rows()).every((row) => row.payload !== null && row.prunedAt === null)).toBe(true);
  });

  it('drops payloads and headers of processed and ignored events only, in batches', async () => {
    expect(await countPrunable(env.db, policyAt(31))).toEqual({ delete: 0, tombstone: 6 });
    const batches: [RetentionStep, number][] = [];
    const run = await runRetention(env.db, policyAt(31), (step, count) =>
      batches.push([step, count]),
    );
    expect(run).toEqual({ kind: 'ran', pruned: { delete: 0, tombstone: 6 } });
    expect(batches).toEqual([
      ['tombstone', 2],
      ['tombstone', 2],
      ['tombstone', 2],
    ]);
    const after = await rows();
    const pruned = after.filter((row) => row.prunedAt !== null).map((row) => row.eventId);
    expect(pruned.sort()).toEqual(['i1', 'p1', 'p2', 'p3', 'p4', 'p5']);
    for (const row of after) {
      const isPruned = pruned.includes(row.eventId);
      expect(row.payload === null, row.eventId).toBe(isPruned);
      expect(row.headers === null, row.eventId).toBe(isPruned);
    }
    expect(after.map((row) => row.status)).toEqual([
      'processed',
      'processed',
      'processed',
      'processed',
      'processed',
      'ignored',
      'dead',
      'failed',
      'received',
    ]);
  });

  it('keeps a tombstoned event a duplicate', async () => {
    expect(await store('p1')).toMatchObject({
      kind: 'duplicate',
      key: 'event_id',
      needsJob: false,
    });
  });

  it('runs one at a time: a second run while one holds the lock does nothing', async () => {
    const holder = await env.db.pool.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [0x77_69_72_74]);
      expect(await runRetention(env.db, policyAt(91))).toEqual({ kind: 'busy' });
      await holder.query('select pg_advisory_unlock($1)', [0x77_69_72_74]);
    } finally {
      holder.release();
    }
  });

  it('deletes processed and ignored rows after the retention period, keeps the rest', async () => {
    expect(await countPrunable(env.db, policyAt(91))).toEqual({ delete: 6, tombstone: 0 });
    const run = await runRetention(env.db, policyAt(91));
    expect(run).toEqual({ kind: 'ran', pruned: { delete: 6, tombstone: 0 } });
    const left = await rows();
    expect(left.map((row) => [row.eventId, row.status])).toEqual([
      ['d1', 'dead'],
      ['f1', 'failed'],
      ['r1', 'received'],
    ]);
    expect(left.every((row) => row.payload !== null)).toBe(true);
    // The deleted events' history goes with them; the kept events keep theirs.
    const history = await env.db
      .select({ eventId: webhookEvents.eventId, outcome: webhookEventAttempts.outcome })
      .from(webhookEventAttempts)
      .innerJoin(webhookEvents, eq(webhookEvents.id, webhookEventAttempts.eventRowId));
    expect(history).toEqual([
      { eventId: 'd1', outcome: 'dead' },
      { eventId: 'f1', outcome: 'failed' },
    ]);
    const [all] = await env.db.rows<{ n: number }>(
      'select count(*)::int as n from webhook_event_attempts',
    );
    expect(all?.n).toBe(2);
  });
});

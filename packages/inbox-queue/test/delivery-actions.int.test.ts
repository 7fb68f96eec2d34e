import { eventDeliveryDetails, recordDelivery } from '@webhook-inbox/inbox';
import {
  createRedis,
  DELIVERY_QUEUE_NAME,
  deliveryJob,
  deliveryJobIdFor,
} from '@webhook-inbox/queue';
import { environmentPerFile, seedRows, waitFor } from '@webhook-inbox/testing';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { enableAndResume } from '../src/enable-destination.ts';
import { redeliver } from '../src/redeliver.ts';
import { replayEvent } from '../src/replay.ts';

const env = environmentPerFile();

const deps = () => ({
  db: env.db,
  queue: env.queue,
  deliveryQueue: env.deliveryQueue,
  retryPolicies: new Map(),
  actor: 'test',
});

const attempt = (statusCode: number) => ({
  at: new Date(),
  statusCode,
  latencyMs: 2,
  responseSnippet: '',
  error: undefined,
});

/** An event with ledger rows for `destinations`, each ended as `status` says. */
async function eventWith(
  eventId: string,
  eventStatus: 'dead' | 'processed',
  deliveries: Record<string, 'dead' | 'disabled' | 'delivered'>,
): Promise<number> {
  const [rowId] = (await seedRows(env, [{ eventId, status: eventStatus }])) as [number];
  for (const [destination, status] of Object.entries(deliveries)) {
    await env.db.rows(
      'insert into event_deliveries (event_row_id, destination, queued_at) values ($1, $2, now())',
      [rowId, destination],
    );
    await recordDelivery(
      env.db,
      { rowId, destination },
      {
        status,
        attempt: attempt(status === 'disabled' ? 410 : status === 'dead' ? 500 : 200),
        ...(status === 'disabled'
          ? { disable: { source: 'payments', reason: 'answered 410 Gone' } }
          : {}),
      },
    );
  }
  return rowId;
}

/**
 * Runs each delivery job once to completion, as the runner does when it records a final
 * status: BullMQ then keeps the finished job, under the same ID a new add would use.
 */
async function finishJobs(keys: { rowId: number; destination: string }[]) {
  const connection = createRedis(env.redisUrl, 'worker');
  const finished = new Set<string>();
  const worker = new Worker(
    DELIVERY_QUEUE_NAME,
    async (job) => {
      finished.add(job.id ?? '');
    },
    { connection, prefix: env.queuePrefix },
  );
  try {
    for (const key of keys) {
      const job = deliveryJob({ ...key, source: 'payments' });
      await env.deliveryQueue.add(job.name, job.data, job.opts);
    }
    const ids = keys.map((key) => deliveryJobIdFor(key.rowId, key.destination));
    await waitFor(async () => (ids.every((id) => finished.has(id)) ? true : undefined), {
      what: 'the delivery jobs to complete',
    });
  } finally {
    await worker.close();
    connection.disconnect();
  }
}

const stateOf = (rowId: number, destination: string) =>
  env.deliveryQueue.getJobState(deliveryJobIdFor(rowId, destination));

const ledger = async (rowId: number) =>
  (await eventDeliveryDetails(env.db, rowId)).map((row) => [row.destination, row.status]);

describe('replaying an event with deliveries', () => {
  it('sends its dead and disabled deliveries again with fresh jobs, not its delivered one', async () => {
    const rowId = await eventWith('replay_deliveries', 'dead', {
      broken: 'dead',
      gone: 'disabled',
      fine: 'delivered',
    });
    await finishJobs(['broken', 'gone', 'fine'].map((destination) => ({ rowId, destination })));
    expect(await stateOf(rowId, 'broken')).toBe('completed');

    expect(await replayEvent(deps(), rowId)).toEqual({ kind: 'replayed', rowId });
    expect(await ledger(rowId)).toEqual([
      ['broken', 'pending'],
      ['fine', 'delivered'],
      ['gone', 'pending'],
    ]);
    expect(await stateOf(rowId, 'broken')).toBe('waiting');
    expect(await stateOf(rowId, 'gone')).toBe('waiting');
    expect(await stateOf(rowId, 'fine')).toBe('completed');
  });
});

describe('enabling a destination a 410 disabled', () => {
  it("resumes every delivery it refused, across events, and leaves other destinations' alone", async () => {
    const first = await eventWith('enable_first', 'processed', { hook: 'disabled', other: 'dead' });
    const second = await eventWith('enable_second', 'processed', { hook: 'disabled' });
    await finishJobs([
      { rowId: first, destination: 'hook' },
      { rowId: second, destination: 'hook' },
    ]);

    expect(await enableAndResume(deps(), 'payments', 'hook')).toEqual({
      kind: 'enabled',
      resumed: 2,
    });
    expect(await ledger(first)).toEqual([
      ['hook', 'pending'],
      ['other', 'dead'],
    ]);
    expect(await ledger(second)).toEqual([['hook', 'pending']]);
    expect(await stateOf(first, 'hook')).toBe('waiting');
    expect(await stateOf(second, 'hook')).toBe('waiting');
    const { rows } = await env.db.pool.query(
      "select 1 from disabled_destinations where destination = 'hook'",
    );
    expect(rows).toEqual([]);
  });

  it('says when the destination was not disabled, and resumes nothing', async () => {
    expect(await enableAndResume(deps(), 'payments', 'never-disabled')).toEqual({
      kind: 'not_disabled',
      resumed: 0,
    });
  });
});

describe('redelivering one delivery', () => {
  it("sends a processed event's dead delivery again, alone, with a fresh job", async () => {
    const rowId = await eventWith('redeliver_dead', 'processed', {
      broken: 'dead',
      fine: 'delivered',
    });
    await finishJobs([{ rowId, destination: 'broken' }]);
    expect(await redeliver(deps(), { rowId, destination: 'broken' })).toEqual({
      kind: 'redelivered',
    });
    expect(await ledger(rowId)).toEqual([
      ['broken', 'pending'],
      ['fine', 'delivered'],
    ]);
    expect(await stateOf(rowId, 'broken')).toBe('waiting');
  });

  it('refuses a delivered, an unfinished, a disabled-destination, a pruned and a missing one, saying why', async () => {
    const rowId = await eventWith('redeliver_refused', 'processed', {
      done: 'delivered',
      gone: 'disabled',
    });
    await env.db.rows('insert into event_deliveries (event_row_id, destination) values ($1, $2)', [
      rowId,
      'waiting',
    ]);
    expect(await redeliver(deps(), { rowId, destination: 'done' })).toMatchObject({
      kind: 'not_redeliverable',
      reason: 'it was delivered: the destination has it',
    });
    expect(await redeliver(deps(), { rowId, destination: 'waiting' })).toMatchObject({
      kind: 'not_redeliverable',
      status: 'pending',
    });
    expect(await redeliver(deps(), { rowId, destination: 'gone' })).toMatchObject({
      kind: 'not_redeliverable',
      reason: expect.stringContaining('enabling it sends this delivery again'),
    });
    expect(await redeliver(deps(), { rowId, destination: 'nope' })).toEqual({ kind: 'missing' });
    const [pruned] = (await seedRows(env, [
      { eventId: 'redeliver_pruned', status: 'processed', pruned: true },
    ])) as [number];
    await env.db.rows(
      'insert into event_deliveries (event_row_id, destination, status) values ($1, $2, $3)',
      [pruned, 'broken', 'dead'],
    );
    expect(await redeliver(deps(), { rowId: pruned, destination: 'broken' })).toMatchObject({
      kind: 'not_redeliverable',
      reason: expect.stringContaining('retention removed its payload'),
    });
    expect(await ledger(rowId)).toEqual([
      ['done', 'delivered'],
      ['gone', 'disabled'],
      ['waiting', 'pending'],
    ]);
  });
});

import { getEvent } from '@webhook-inbox/inbox';
import { jobIdFor } from '@webhook-inbox/queue';
import { environmentPerFile, seedRows } from '@webhook-inbox/testing';
import { describe, expect, it, vi } from 'vitest';
import { queueRows } from '../src/queue-rows.ts';

const env = environmentPerFile();
const retryPolicies = new Map([['payments', { attempts: 3, backoffMs: 250 }]]);
const deps = () => ({ db: env.db, queue: env.queue, retryPolicies });

describe('queueRows', () => {
  it("adds a batch's jobs in one write to Redis and marks the rows queued", async () => {
    const [warmUp] = (await seedRows(env, [{ eventId: 'warm_up' }])) as [number];
    // The first add on a connection may load BullMQ's scripts first.
    await queueRows(deps(), [{ rowId: warmUp, source: 'payments' }]);
    const rowIds = await seedRows(
      env,
      Array.from({ length: 50 }, (_, i) => ({ eventId: `batch_${i}` })),
    );

    // The queue's connection is env.redis: every command it sends goes through this socket.
    const writes = vi.spyOn(env.redis.stream, 'write');
    try {
      await queueRows(
        deps(),
        rowIds.map((rowId) => ({ rowId, source: 'payments' })),
      );
      expect(writes).toHaveBeenCalledTimes(1);
    } finally {
      writes.mockRestore();
    }

    const jobs = await Promise.all(rowIds.map((rowId) => env.queue.getJob(jobIdFor(rowId))));
    expect(jobs.map((job) => job?.name)).toEqual(rowIds.map(() => 'webhook'));
    expect(jobs[0]?.data).toEqual({ v: 1, rowId: rowIds[0], source: 'payments' });
    expect(jobs[0]?.opts).toMatchObject({
      attempts: 3,
      backoff: { type: 'exponential', delay: 250 },
    });
    const rows = await Promise.all(rowIds.map((rowId) => getEvent(env.db, rowId)));
    expect(rows.filter((row) => row?.queuedAt == null)).toEqual([]);
  });

  it('gives a row whose source left the sources file the default policy', async () => {
    const [rowId] = (await seedRows(env, [{ source: 'retired', eventId: 'orphan' }])) as [number];
    await queueRows(deps(), [{ rowId, source: 'retired' }]);
    expect((await env.queue.getJob(jobIdFor(rowId)))?.opts).toMatchObject({
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
    });
  });
});

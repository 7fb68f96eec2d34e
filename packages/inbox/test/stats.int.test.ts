import { environmentPerFile, seedRows } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { inboxStats } from '../src/stats.ts';

const env = environmentPerFile();

describe('inboxStats', () => {
  it('is empty on an empty inbox', async () => {
    const stats = await inboxStats(env.db);
    expect(stats.bySourceAndStatus).toEqual([]);
    expect(stats.oldestUnfinished).toBeNull();
    expect(stats.dead).toBe(0);
    expect(stats.perMinute).toHaveLength(60);
    expect(stats.perMinute.every((minute) => minute.count === 0)).toBe(true);
  });

  it('counts by source and status, finds the oldest unfinished event, and buckets the last hour', async () => {
    await seedRows(env, [
      { eventId: 'old_processed', status: 'processed', minutesAgo: 120 },
      { eventId: 'waiting', status: 'failed', minutesAgo: 30 },
      { eventId: 'dead_1', status: 'dead', minutesAgo: 3 },
      { eventId: 'dead_2', status: 'dead', minutesAgo: 3 },
      { source: 'stripe', eventId: 'new', status: 'received', minutesAgo: 0 },
    ]);
    const stats = await inboxStats(env.db);
    expect(stats.bySourceAndStatus).toEqual([
      { source: 'payments', status: 'processed', count: 1 },
      { source: 'payments', status: 'failed', count: 1 },
      { source: 'payments', status: 'dead', count: 2 },
      { source: 'stripe', status: 'received', count: 1 },
    ]);
    expect(stats.dead).toBe(2);
    expect(stats.oldestUnfinished).toMatchObject({ eventId: 'waiting', status: 'failed' });
    expect(stats.oldestUnfinished?.ageSeconds).toBeGreaterThanOrEqual(29 * 60);
    expect(stats.oldestUnfinished?.ageSeconds).toBeLessThan(31 * 60);
    const counts = stats.perMinute.map((minute) => minute.count);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(4);
    expect(counts.at(-1)).toBe(1);
    expect(counts.at(-4)).toBe(2);
  });
});

import { countReplayable, eventSubscriberDetails, getEvent } from '@webhook-inbox/inbox';
import { jobIdFor, webhookJob } from '@webhook-inbox/queue';
import { environmentPerFile, seedRows } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { replayEvent, replayMatching } from '../src/replay.ts';
import { retryNow } from '../src/retry-now.ts';

const env = environmentPerFile();
const deps = () => ({
  db: env.db,
  queue: env.queue,
  deliveryQueue: env.deliveryQueue,
  retryPolicies: new Map(),
  actor: 'test',
});

async function statusOf(rowId: number) {
  return (await getEvent(env.db, rowId))?.status;
}

describe('replaying one event', () => {
  it('restarts a dead event with a fresh job and no attempts', async () => {
    const [id] = (await seedRows(env, [{ eventId: 'one_dead', status: 'dead' }])) as [number];
    expect(await replayEvent(deps(), id)).toEqual({ kind: 'replayed', rowId: id });
    expect(await getEvent(env.db, id)).toMatchObject({
      status: 'received',
      attempts: 0,
      lastError: null,
    });
    expect(await env.queue.getJobState(jobIdFor(id))).toBe('waiting');
  });

  it('refuses processed, failed and received events with the reason, and pruned ones', async () => {
    const [processed, failed, received, pruned] = (await seedRows(env, [
      { eventId: 'one_processed', status: 'processed' },
      { eventId: 'one_failed', status: 'failed' },
      { eventId: 'one_received', status: 'received' },
      { eventId: 'one_pruned', status: 'ignored', pruned: true },
    ])) as [number, number, number, number];
    expect(await replayEvent(deps(), processed)).toMatchObject({
      kind: 'not_replayable',
      status: 'processed',
      reason: expect.stringContaining('must stay once'),
    });
    expect(await replayEvent(deps(), failed)).toMatchObject({
      kind: 'not_replayable',
      status: 'failed',
    });
    expect(await replayEvent(deps(), received)).toMatchObject({ kind: 'not_replayable' });
    expect(await replayEvent(deps(), pruned)).toEqual({ kind: 'pruned' });
    expect(await replayEvent(deps(), 987_654)).toEqual({ kind: 'missing' });
    expect(await statusOf(processed)).toBe('processed');
    expect(await statusOf(pruned)).toBe('ignored');
  });

  it('never replays a pruned row through a filter that names it either', async () => {
    const [pruned] = (await seedRows(env, [
      { eventId: 'old_pruned', status: 'dead', pruned: true },
    ])) as [number];
    expect(await replayMatching(deps(), { eventId: 'old_pruned' })).toEqual({
      replayed: 0,
      batches: 0,
    });
    expect(await statusOf(pruned)).toBe('dead');
  });
});

describe('replaying a filter', () => {
  it('counts first, then replays only dead and ignored rows, in batches', async () => {
    const rows = await seedRows(env, [
      ...Array.from({ length: 7 }, (_, i) => ({
        source: 'bulk',
        eventId: `bulk_dead_${i}`,
        status: 'dead' as const,
      })),
      { source: 'bulk', eventId: 'bulk_ignored', status: 'ignored' },
      { source: 'bulk', eventId: 'bulk_processed', status: 'processed' },
      { source: 'bulk', eventId: 'bulk_failed', status: 'failed' },
      { source: 'bulk', eventId: 'bulk_pruned', status: 'dead', pruned: true },
      { source: 'other', eventId: 'other_dead', status: 'dead' },
    ]);
    expect(await countReplayable(env.db, { source: 'bulk' })).toEqual({
      matching: 11,
      replayable: 8,
    });

    expect(await replayMatching(deps(), { source: 'bulk' }, { batchSize: 3 })).toEqual({
      replayed: 8,
      batches: 3,
    });
    const statuses = await Promise.all(rows.map(statusOf));
    expect(statuses).toEqual([...Array(8).fill('received'), 'processed', 'failed', 'dead', 'dead']);
    const states = await Promise.all(
      rows.slice(0, 8).map((id) => env.queue.getJobState(jobIdFor(id))),
    );
    expect(new Set(states)).toEqual(new Set(['waiting']));
    expect(await countReplayable(env.db, { source: 'bulk' })).toEqual({
      matching: 11,
      replayable: 0,
    });
  });
});

describe('retry now', () => {
  it("promotes a failed event's delayed job", async () => {
    const [id] = (await seedRows(env, [{ eventId: 'retry_failed', status: 'failed' }])) as [number];
    // As a worker leaves it after a failed attempt: the same job, waiting out its backoff.
    const job = webhookJob({ rowId: id, source: 'payments' }, { attempts: 3, backoffMs: 1000 });
    await env.queue.add(job.name, job.data, { ...job.opts, delay: 60 * 60_000 });
    expect(await env.queue.getJobState(jobIdFor(id))).toBe('delayed');

    expect(await retryNow({ db: env.db, queue: env.queue, actor: 'test' }, id)).toEqual({
      kind: 'promoted',
      rowId: id,
    });
    expect(await env.queue.getJobState(jobIdFor(id))).toBe('waiting');
    expect(await retryNow({ db: env.db, queue: env.queue, actor: 'test' }, id)).toEqual({
      kind: 'not_delayed',
      jobState: 'waiting',
    });
  });

  it('refuses events that are not failed, and failed ones without a delayed job', async () => {
    const [dead, failed] = (await seedRows(env, [
      { eventId: 'retry_dead', status: 'dead' },
      { eventId: 'retry_nojob', status: 'failed' },
    ])) as [number, number];
    const retryDeps = { db: env.db, queue: env.queue, actor: 'test' };
    expect(await retryNow(retryDeps, dead)).toEqual({ kind: 'not_failed', status: 'dead' });
    expect(await retryNow(retryDeps, failed)).toEqual({ kind: 'not_delayed', jobState: 'missing' });
    expect(await retryNow(retryDeps, 987_654)).toEqual({ kind: 'missing' });
  });
});

describe('replaying one subscriber', () => {
  const ledgerOf = async (rowId: number) =>
    Object.fromEntries(
      (await eventSubscriberDetails(env.db, rowId)).map((row) => [row.subscriber, row.status]),
    );

  it('restarts only the events it failed on, and only it on each', async () => {
    const [both, crmOnly, booksOnly, none] = (await seedRows(env, [
      {
        source: 'fan',
        eventId: 'fan_both',
        status: 'dead',
        subscribers: { books: 'dead', crm: 'dead' },
      },
      {
        source: 'fan',
        eventId: 'fan_crm',
        status: 'dead',
        subscribers: { books: 'processed', crm: 'failed' },
      },
      {
        source: 'fan',
        eventId: 'fan_books',
        status: 'dead',
        subscribers: { books: 'dead', crm: 'processed' },
      },
      { source: 'fan', eventId: 'fan_none', status: 'dead' },
    ])) as [number, number, number, number];
    expect(await countReplayable(env.db, { source: 'fan' }, 'crm')).toEqual({
      matching: 4,
      replayable: 2,
    });
    expect(await replayMatching(deps(), { source: 'fan' }, { subscriber: 'crm' })).toEqual({
      replayed: 2,
      batches: 1,
    });
    expect(await ledgerOf(both)).toEqual({ books: 'dead', crm: 'pending' });
    expect(await ledgerOf(crmOnly)).toEqual({ books: 'processed', crm: 'pending' });
    expect(await Promise.all([both, crmOnly, booksOnly, none].map(statusOf))).toEqual([
      'received',
      'received',
      'dead',
      'dead',
    ]);
    expect(await env.queue.getJobState(jobIdFor(crmOnly))).toBe('waiting');
    expect(await env.queue.getJobState(jobIdFor(booksOnly))).toBe('unknown');
  });

  it('refuses a subscriber that processed the event, or has no failure on it, with the reason', async () => {
    const [id] = (await seedRows(env, [
      { eventId: 'one_fan', status: 'dead', subscribers: { books: 'processed', crm: 'dead' } },
    ])) as [number];
    expect(await replayEvent(deps(), id, { subscriber: 'books' })).toEqual({
      kind: 'not_replayable',
      status: 'dead',
      reason: 'subscriber "books" processed it: its effects happened once and must stay once',
    });
    expect(await replayEvent(deps(), id, { subscriber: 'nobody' })).toMatchObject({
      kind: 'not_replayable',
      reason: expect.stringContaining('no subscriber "nobody" failed on it'),
    });
    expect(await statusOf(id)).toBe('dead');
    expect(await replayEvent(deps(), id, { subscriber: 'crm' })).toEqual({
      kind: 'replayed',
      rowId: id,
    });
    expect(await ledgerOf(id)).toEqual({ books: 'processed', crm: 'pending' });
  });

  it('replaying the whole event restarts every subscriber that failed, never a processed one', async () => {
    const [id] = (await seedRows(env, [
      {
        eventId: 'all_fan',
        status: 'dead',
        subscribers: { audit: 'failed', books: 'processed', crm: 'dead' },
      },
    ])) as [number];
    expect(await replayEvent(deps(), id)).toEqual({ kind: 'replayed', rowId: id });
    expect(await ledgerOf(id)).toEqual({ audit: 'pending', books: 'processed', crm: 'pending' });
  });
});

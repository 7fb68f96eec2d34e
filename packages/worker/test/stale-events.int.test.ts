import type { OrderingSpec } from '@webhook-inbox/config';
import { skipEvent } from '@webhook-inbox/inbox';
import { queueRows, replayEvent } from '@webhook-inbox/inbox-queue';
import type { JobReport } from '@webhook-inbox/metrics';
import { environmentPerFile, storeRow, waitFor } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { defineHandlers, type EventOrdering } from '../src/registry.ts';
import { workerFor } from './support.ts';

const env = environmentPerFile();

interface Seen {
  readonly eventId: string;
  readonly ordering: EventOrdering | undefined;
}

function startWorker(source: string, type: string) {
  const seen: Seen[] = [];
  const reports: JobReport[] = [];
  const worker = workerFor(
    env,
    defineHandlers().on(source, type, async (event) => {
      seen.push({ eventId: event.eventId, ordering: event.ordering });
    }),
    {
      concurrency: 3,
      handlerTimeoutMs: () => 5_000,
      group: { size: 3, waitMs: 5 },
      queue: env.queue,
      orderWait: { firstMs: 1_000, maxMs: 5_000 },
      onJobEnd: (report) => reports.push(report),
    },
  );
  return { seen, reports, close: () => worker.close() };
}

interface Shaped {
  readonly source: string;
  readonly type: string;
  readonly ordering: OrderingSpec;
  /** A payload of the provider's shape for one resource, at a version. */
  readonly payload: (version: number) => unknown;
  /** The value the ordering reads from `payload(version)`. */
  readonly valueOf: (version: number) => number;
}

const stripe: Shaped = {
  source: 'billing',
  type: 'customer.subscription.updated',
  ordering: { key: ['data.object.id'], by: 'created' },
  payload: (version) => ({
    id: `evt_${version}`,
    object: 'event',
    type: 'customer.subscription.updated',
    created: 1_700_000_000 + version,
    data: { object: { id: 'sub_stale', object: 'subscription', status: `v${version}` } },
  }),
  valueOf: (version) => 1_700_000_000 + version,
};

const github: Shaped = {
  source: 'repo',
  type: 'issues',
  ordering: { key: ['repository.id', 'issue.number'], by: 'issue.updated_at' },
  payload: (version) => ({
    action: 'edited',
    issue: { number: 7, title: `v${version}`, updated_at: `2024-05-01T10:00:0${version}Z` },
    repository: { id: 42, full_name: 'octo/hello' },
  }),
  valueOf: (version) => Date.UTC(2024, 4, 1, 10, 0, version),
};

async function deliver(shape: Shaped, eventId: string, version: number) {
  const { rowId } = await storeRow(env, {
    source: shape.source,
    eventId,
    eventType: shape.type,
    body: JSON.stringify(shape.payload(version)),
    ordering: shape.ordering,
  });
  await queueRows({ db: env.db, queue: env.queue, retryPolicies: new Map() }, [
    { rowId, source: shape.source },
  ]);
  return rowId;
}

async function statusOf(rowId: number) {
  const [row] = await env.db.rows<{ status: string }>(
    'select status from webhook_events where id = $1',
    [rowId],
  );
  return row?.status;
}

const settled = (rowId: number, status: string) =>
  waitFor(async () => ((await statusOf(rowId)) === status ? true : undefined), {
    what: `row ${rowId} to be ${status}`,
  });

describe.each([
  ['Stripe', stripe],
  ['GitHub', github],
])('the stale guard with %s-shaped events', (name, shape) => {
  it('runs waiting events by their provider value, and marks a late older one stale', async () => {
    const prefix = name.toLowerCase();
    // Delivered newest first, before any worker runs: all three wait together.
    const rows = [
      await deliver(shape, `${prefix}_3`, 3),
      await deliver(shape, `${prefix}_1`, 1),
      await deliver(shape, `${prefix}_2`, 2),
    ];
    const worker = startWorker(shape.source, shape.type);
    try {
      for (const rowId of rows) await settled(rowId, 'processed');
      expect(worker.seen.map((seen) => seen.eventId)).toEqual([
        `${prefix}_1`,
        `${prefix}_2`,
        `${prefix}_3`,
      ]);
      expect(worker.seen.map((seen) => seen.ordering?.previous)).toEqual([
        null,
        shape.valueOf(1),
        shape.valueOf(2),
      ]);
      expect(worker.seen[0]?.ordering?.value).toBe(shape.valueOf(1));

      // A provider's late retry of an older version: stale, its handler never runs.
      const late = await deliver(shape, `${prefix}_late`, 2);
      await settled(late, 'stale');
      // The same value as the last applied is not older: it runs.
      const same = await deliver(shape, `${prefix}_same`, 3);
      await settled(same, 'processed');
      expect(worker.seen.map((seen) => seen.eventId)).not.toContain(`${prefix}_late`);
      expect(worker.reports.filter((report) => report.outcome === 'stale')).toHaveLength(1);
      const [history] = await env.db.rows<{ outcome: string }>(
        'select outcome from webhook_event_attempts where event_row_id = $1',
        [late],
      );
      expect(history).toEqual({ outcome: 'stale' });

      // Replayed on purpose, it runs over the newer state; its handler can tell from `previous`.
      const replayed = await replayEvent(
        {
          db: env.db,
          queue: env.queue,
          deliveryQueue: env.deliveryQueue,
          retryPolicies: new Map(),
          actor: 'test',
        },
        late,
      );
      expect(replayed).toMatchObject({ kind: 'replayed' });
      await settled(late, 'processed');
      expect(worker.seen.find((seen) => seen.eventId === `${prefix}_late`)?.ordering).toEqual({
        key: expect.any(String),
        value: null,
        previous: shape.valueOf(3),
      });
    } finally {
      await worker.close();
    }
  });
});

describe('an ordered event without its provider value', () => {
  it('is never stale: it runs by arrival, and its handler sees the last value applied', async () => {
    const newer = await deliver(stripe, 'novalue_newer', 9);
    const worker = startWorker(stripe.source, stripe.type);
    try {
      await settled(newer, 'processed');
      const { rowId } = await storeRow(env, {
        source: stripe.source,
        eventId: 'novalue_late',
        eventType: stripe.type,
        body: JSON.stringify({ id: 'evt_nv', data: { object: { id: 'sub_stale' } } }),
        ordering: stripe.ordering,
      });
      await queueRows({ db: env.db, queue: env.queue, retryPolicies: new Map() }, [
        { rowId, source: stripe.source },
      ]);
      await settled(rowId, 'processed');
      expect(worker.seen.find((seen) => seen.eventId === 'novalue_late')?.ordering).toEqual({
        key: 'sub_stale',
        value: null,
        previous: stripe.valueOf(9),
      });
    } finally {
      await worker.close();
    }
  });
});

describe('a skipped ordered event replayed after newer ones were applied', () => {
  it('runs on purpose instead of being found stale', async () => {
    const shape: Shaped = { ...github, source: 'repo2' };
    const older = await deliver(shape, 'skip_older', 1);
    const newer = await deliver(shape, 'skip_newer', 2);
    expect(await skipEvent(env.db, older, 'test')).toMatchObject({ kind: 'skipped' });
    const worker = startWorker(shape.source, shape.type);
    try {
      await settled(newer, 'processed');
      const deps = {
        db: env.db,
        queue: env.queue,
        deliveryQueue: env.deliveryQueue,
        retryPolicies: new Map(),
        actor: 'test',
      };
      expect(await replayEvent(deps, older)).toMatchObject({ kind: 'replayed' });
      await settled(older, 'processed');
      expect(worker.seen.map((seen) => seen.eventId)).toEqual(['skip_newer', 'skip_older']);
      expect(worker.seen[1]?.ordering).toMatchObject({ value: null, previous: shape.valueOf(2) });
    } finally {
      await worker.close();
    }
  });
});

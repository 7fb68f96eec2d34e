import { type Database, type EventStatus, webhookEvents } from '@webhook-inbox/db';
import { and, asc, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type EventFilter, filterConditions } from './filter.ts';
import { type Actor, recordAction } from './history.ts';
import type { UnfinishedRow } from './relay-scan.ts';
import { REPLAYABLE } from './status.ts';
import { resetSubscribersForReplay, subscriberReplayable } from './subscribers.ts';

const t = webhookEvents;

/**
 * Dead and ignored events, never processed ones (replaying those would repeat their effects),
 * never failed ones (their retries are still under way), never pruned ones (their payload is gone).
 */
const replayable = (): SQL => and(inArray(t.status, REPLAYABLE), isNull(t.prunedAt)) as SQL;

/** As `replayable`, and, when a subscriber is named, one it failed on. */
const replayableFor = (subscriber: string | undefined): SQL =>
  (subscriber === undefined
    ? replayable()
    : and(replayable(), subscriberReplayable(t.id, subscriber))) as SQL;

/** Why an event in `status` cannot be replayed; undefined when it can. */
export function whyNotReplayable(status: EventStatus): string | undefined {
  switch (status) {
    case 'dead':
    case 'ignored':
    case 'stale':
      return undefined;
    case 'processed':
      return 'it was processed: its effects happened once and must stay once';
    case 'failed':
      return 'its retries are still under way: retry it now instead';
    case 'received':
      return 'it is waiting for its first attempt';
    default: {
      const never: never = status;
      return never;
    }
  }
}

/** As whyNotReplayable, for a row: a tombstone has no payload left to run a handler on. */
export function whyRowNotReplayable(row: {
  readonly status: EventStatus;
  readonly prunedAt: Date | null;
}): string | undefined {
  return row.prunedAt ? 'retention dropped its payload' : whyNotReplayable(row.status);
}

/**
 * Gives the rows still replayable a fresh start: back to `received` with no attempts and no
 * queued mark (so the relay queues them should their new jobs never be added), each with a
 * `replay` entry in its history. The subscribers that failed on them run again: every one, or
 * only `subscriber` (then only rows it failed on are reset, and the others' dead subscribers
 * stay dead); processed subscribers never do. Returns the rows reset, in ID order.
 */
export async function resetForReplay(
  db: Database,
  rowIds: readonly number[],
  actor: Actor,
  subscriber?: string,
): Promise<UnfinishedRow[]> {
  if (rowIds.length === 0) return [];
  const reset = await db.transaction(async (tx) => {
    // The event first: its row lock is what a worker running the event holds.
    const rows = await tx
      .update(t)
      .set({
        status: 'received',
        attempts: 0,
        lastError: null,
        processedAt: null,
        queuedAt: null,
        // A stale or skipped event replayed is run on purpose: without its value it is never
        // stale again. A dead one keeps its value and its place at the head of its key.
        orderingValue: sql`case when ${t.status} in ('stale', 'ignored') then null else ${t.orderingValue} end`,
      })
      .where(and(inArray(t.id, [...rowIds]), replayableFor(subscriber)))
      .returning({ rowId: t.id, source: t.source });
    await resetSubscribersForReplay(
      tx,
      rows.map((row) => row.rowId),
      subscriber,
    );
    await recordAction(
      tx,
      rows.map((row) => row.rowId),
      'replay',
      actor,
    );
    return rows;
  });
  return reset.sort((a, b) => a.rowId - b.rowId);
}

/**
 * The next `limit` replayable rows the filter matches after `afterId`, in ID order: a replay
 * of a filter walks forward through them, so an event that dies again during the walk is not
 * replayed twice.
 */
export async function replayableAfter(
  db: Database,
  filter: EventFilter,
  {
    afterId,
    limit,
    subscriber,
  }: { readonly afterId: number; readonly limit: number; readonly subscriber?: string },
): Promise<number[]> {
  const found = await db
    .select({ id: t.id })
    .from(t)
    .where(and(...filterConditions(filter), replayableFor(subscriber), gt(t.id, afterId)))
    .orderBy(asc(t.id))
    .limit(limit);
  return found.map((row) => row.id);
}

export interface ReplayableCount {
  /** Every event the filter matches. */
  readonly matching: number;
  /** Those a replay would restart: dead or ignored, payload kept (and `subscriber` failed on). */
  readonly replayable: number;
}

/** What a replay of the filter (of one subscriber) would do, to show before asking to confirm. */
export async function countReplayable(
  db: Database,
  filter: EventFilter,
  subscriber?: string,
): Promise<ReplayableCount> {
  const [row] = await db
    .select({
      matching: sql<number>`count(*)::int`,
      replayable: sql<number>`(count(*) filter (where ${replayableFor(subscriber)}))::int`,
    })
    .from(t)
    .where(and(...filterConditions(filter)));
  return { matching: row?.matching ?? 0, replayable: row?.replayable ?? 0 };
}

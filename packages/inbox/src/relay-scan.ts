import { type Database, webhookEvents } from '@webhook-inbox/db';
import { and, asc, gt, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import type pg from 'pg';
import { withSessionLock } from './session-lock.ts';
import { UNFINISHED } from './status.ts';

// One relay at a time across every worker process; the others skip their turn.
const RELAY_LOCK_KEY = 0x77_69_72_6c; // "wirl"

/**
 * Runs `turn` while this process holds the relay lock, on a session of its own, so the turn's
 * updates commit as they go and never hold row locks a worker waits for. Returns undefined
 * when another process holds the lock.
 */
export function withRelayLock<T>(pool: pg.Pool, turn: () => Promise<T>): Promise<T | undefined> {
  return withSessionLock(pool, RELAY_LOCK_KEY, turn);
}

export interface UnfinishedRow {
  readonly rowId: number;
  readonly source: string;
}

/**
 * Unfinished rows whose job is not known to exist, oldest first: stored while Redis was away,
 * left by an ingress that died before queuing, or found missing from Redis since. Rows younger
 * than `olderThanMs` are left to the ingress, which is queuing them. Served by a partial index
 * that holds only such rows, however large the queued backlog.
 */
export async function unqueuedRows(
  db: Database,
  { olderThanMs, limit }: { olderThanMs: number; limit: number },
): Promise<UnfinishedRow[]> {
  return db
    .select({ rowId: webhookEvents.id, source: webhookEvents.source })
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.status, UNFINISHED),
        isNull(webhookEvents.queuedAt),
        lt(webhookEvents.receivedAt, sql`now() - ${olderThanMs} * interval '1 millisecond'`),
      ),
    )
    .orderBy(asc(webhookEvents.id))
    .limit(limit);
}

// Rows locked in ID order first, the order a worker's claim locks its group in: an update alone
// takes them in the heap's order, and deadlocked with a group claiming some of them meanwhile
// (the worker's attempt then failed, costing the event an attempt). Both marks do it.
const MARK_QUEUED = `update webhook_events w set queued_at = now()
  from (select id from webhook_events where id = any($1::bigint[]) and queued_at is null
        order by id for update) l
  where w.id = l.id`;

const MARK_UNQUEUED = `update webhook_events w set queued_at = null
  from (select id from webhook_events where id = any($1::bigint[])
          and status = any($2::event_status[])
        order by id for update) l
  where w.id = l.id`;

/** After their jobs were added: the relay leaves these rows alone. */
export async function markQueued(db: Database, rowIds: readonly number[]): Promise<void> {
  if (rowIds.length === 0) return;
  await db.rows(MARK_QUEUED, [rowIds]);
}

/** Their jobs are gone from Redis: the relay queues these rows again if they are unfinished. */
export async function markUnqueued(db: Database, rowIds: readonly number[]): Promise<void> {
  if (rowIds.length === 0) return;
  await db.rows(MARK_UNQUEUED, [rowIds, UNFINISHED]);
}

/** Redis lost its jobs: every unfinished row needs its job again. Returns how many rows. */
export async function markAllUnqueued(db: Database): Promise<number> {
  const reset = await db
    .update(webhookEvents)
    .set({ queuedAt: null })
    .where(and(inArray(webhookEvents.status, UNFINISHED), isNotNull(webhookEvents.queuedAt)));
  return reset.rowCount ?? 0;
}

/**
 * The next unfinished rows, after `afterId` in ID order, whose jobs should exist: the relay
 * checks a bounded slice of them per turn, so that a job removed from Redis by hand is found.
 */
export async function queuedUnfinishedRows(
  db: Database,
  { afterId, limit }: { afterId: number; limit: number },
): Promise<number[]> {
  const rows = await db
    .select({ rowId: webhookEvents.id })
    .from(webhookEvents)
    .where(
      and(
        inArray(webhookEvents.status, UNFINISHED),
        isNotNull(webhookEvents.queuedAt),
        gt(webhookEvents.id, afterId),
      ),
    )
    .orderBy(asc(webhookEvents.id))
    .limit(limit);
  return rows.map((row) => row.rowId);
}

import { DEFAULT_RETRY, type RetryPolicy } from '@webhook-inbox/config';
import { type Database, type EventStatus, webhookEvents } from '@webhook-inbox/db';
import { enqueueEvents, jobIdFor, type WebhookQueue } from '@webhook-inbox/queue';
import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { type EventFilter, filterConditions } from './filter.ts';
import { type Actor, recordAction } from './history.ts';
import { markQueued } from './relay-scan.ts';
import { getEvent } from './search.ts';
import { REPLAYABLE } from './status.ts';

export interface ReplayDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
  readonly retryPolicies: ReadonlyMap<string, RetryPolicy>;
  /** Who asks, recorded in each replayed event's history. */
  readonly actor: Actor;
}

/** Which events to replay: inbox row IDs, events of one source, or every dead event. */
export type ReplaySelector =
  | { readonly rowIds: readonly number[] }
  | { readonly source: string; readonly eventIds: readonly string[] }
  | { readonly allDead: true; readonly source?: string };

const t = webhookEvents;

/**
 * Dead and ignored events, never processed ones (replaying those would repeat their effects),
 * never failed ones (their retries are still under way), never pruned ones (their payload is gone).
 */
const replayable = (): SQL => and(inArray(t.status, REPLAYABLE), isNull(t.prunedAt)) as SQL;

/** Why an event in `status` cannot be replayed; undefined when it can. */
export function whyNotReplayable(status: EventStatus): string | undefined {
  switch (status) {
    case 'dead':
    case 'ignored':
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

function condition(selector: ReplaySelector): SQL | undefined {
  if ('rowIds' in selector) return and(replayable(), inArray(t.id, [...selector.rowIds]));
  if ('eventIds' in selector) {
    return and(
      replayable(),
      eq(t.source, selector.source),
      inArray(t.eventId, [...selector.eventIds]),
    );
  }
  const dead = and(eq(t.status, 'dead'), isNull(t.prunedAt));
  return selector.source === undefined ? dead : and(dead, eq(t.source, selector.source));
}

/**
 * Gives the rows a fresh start: their old job is removed (a kept failed or completed job would
 * make the new add a no-op), each row still replayable goes back to `received` with no attempts,
 * and a job is added. Should Redis fail after the reset, `queued_at` stays null and the relay
 * queues the rows later.
 */
async function replayRows(deps: ReplayDeps, rowIds: readonly number[]): Promise<number[]> {
  if (rowIds.length === 0) return [];
  for (const id of rowIds) await deps.queue.remove(jobIdFor(id));
  const reset = await deps.db.transaction(async (tx) => {
    const rows = await tx
      .update(t)
      .set({ status: 'received', attempts: 0, lastError: null, processedAt: null, queuedAt: null })
      .where(and(inArray(t.id, [...rowIds]), replayable()))
      .returning({ id: t.id, source: t.source });
    await recordAction(
      tx,
      rows.map((row) => row.id),
      'replay',
      deps.actor,
    );
    return rows;
  });
  await enqueueEvents(
    deps.queue,
    reset.map((row) => ({
      rowId: row.id,
      source: row.source,
      retry: deps.retryPolicies.get(row.source) ?? DEFAULT_RETRY,
    })),
  );
  await markQueued(
    deps.db,
    reset.map((row) => row.id),
  );
  return reset.map((row) => row.id).sort((a, b) => a - b);
}

/** Replays the selected dead and ignored events; returns the row IDs replayed, in order. */
export async function replayEvents(deps: ReplayDeps, selector: ReplaySelector): Promise<number[]> {
  const found = await deps.db
    .select({ id: t.id })
    .from(t)
    .where(condition(selector))
    .orderBy(asc(t.id));
  return replayRows(
    deps,
    found.map((row) => row.id),
  );
}

export type ReplayOneOutcome =
  | { readonly kind: 'replayed'; readonly rowId: number }
  | { readonly kind: 'missing' }
  | { readonly kind: 'pruned' }
  | { readonly kind: 'not_replayable'; readonly status: EventStatus; readonly reason: string };

export async function replayEvent(deps: ReplayDeps, rowId: number): Promise<ReplayOneOutcome> {
  const row = await getEvent(deps.db, rowId);
  if (!row) return { kind: 'missing' };
  if (row.prunedAt) return { kind: 'pruned' };
  const reason = whyNotReplayable(row.status);
  if (reason) return { kind: 'not_replayable', status: row.status, reason };
  const [replayed] = await replayRows(deps, [rowId]);
  if (replayed === undefined) {
    // Its status changed between the look and the reset; say what it is now.
    const now = await getEvent(deps.db, rowId);
    const status = now?.status ?? row.status;
    return { kind: 'not_replayable', status, reason: whyNotReplayable(status) ?? 'it changed' };
  }
  return { kind: 'replayed', rowId };
}

export interface ReplayableCount {
  /** Every event the filter matches. */
  readonly matching: number;
  /** Those a replay would restart: dead or ignored, payload kept. */
  readonly replayable: number;
}

/** What a replay of the filter would do, to show before asking to confirm. */
export async function countReplayable(db: Database, filter: EventFilter): Promise<ReplayableCount> {
  const [row] = await db
    .select({
      matching: sql<number>`count(*)::int`,
      replayable: sql<number>`(count(*) filter (where ${replayable()}))::int`,
    })
    .from(t)
    .where(and(...filterConditions(filter)));
  return { matching: row?.matching ?? 0, replayable: row?.replayable ?? 0 };
}

export interface FilterReplayResult {
  readonly replayed: number;
  readonly batches: number;
}

/**
 * Replays every dead or ignored event the filter matches, `batchSize` rows at a time in ID
 * order. Each batch is its own short statement, so a large replay holds no long lock, and an
 * event that dies again during the run is not replayed twice (the walk only moves forward).
 */
export async function replayMatching(
  deps: ReplayDeps,
  filter: EventFilter,
  {
    batchSize = 500,
    onBatch,
  }: {
    readonly batchSize?: number;
    /** Told how many rows each batch replayed (a progress bar). */
    readonly onBatch?: (replayed: number) => void;
  } = {},
): Promise<FilterReplayResult> {
  let afterId = 0;
  let replayed = 0;
  let batches = 0;
  for (;;) {
    const found = await deps.db
      .select({ id: t.id })
      .from(t)
      .where(and(...filterConditions(filter), replayable(), gt(t.id, afterId)))
      .orderBy(asc(t.id))
      .limit(batchSize);
    const last = found.at(-1);
    if (!last) return { replayed, batches };
    batches += 1;
    const done = await replayRows(
      deps,
      found.map((row) => row.id),
    );
    replayed += done.length;
    onBatch?.(done.length);
    afterId = last.id;
  }
}

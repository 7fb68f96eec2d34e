import type { EventStatus } from '@webhook-inbox/db';
import {
  type Actor,
  type EventFilter,
  getEvent,
  replayableAfter,
  resetDeliveriesOfReplayed,
  resetForReplay,
  undeliveredOf,
  whyNotReplayable,
} from '@webhook-inbox/inbox';
import { type DeliveryQueue, removeJobs } from '@webhook-inbox/queue';
import { freshDeliveryJobs } from './fresh-delivery-jobs.ts';
import { type QueueDeps, queueRows } from './queue-rows.ts';

export interface ReplayDeps extends QueueDeps {
  /** Who asks, recorded in each replayed event's history. */
  readonly actor: Actor;
  /** A replayed event's undelivered deliveries are sent again. */
  readonly deliveryQueue: DeliveryQueue;
}

/**
 * Gives the rows a fresh start: their old job is removed (a kept failed or completed job would
 * make the new add a no-op), each row still replayable is reset with its deliveries that ended
 * without reaching their destination (dead, disabled), and the jobs are added. Should Redis fail
 * after the reset, the rows stay unmarked and the relay queues them later.
 */
async function replayRows(deps: ReplayDeps, rowIds: readonly number[]): Promise<number[]> {
  if (rowIds.length === 0) return [];
  const deliveryJobs = freshDeliveryJobs(deps.deliveryQueue, await undeliveredOf(deps.db, rowIds));
  await Promise.all([removeJobs(deps.queue, rowIds), deliveryJobs.before()]);
  const reset = await resetForReplay(deps.db, rowIds, deps.actor);
  const deliveries = await resetDeliveriesOfReplayed(
    deps.db,
    reset.map((row) => row.rowId),
  );
  await deliveryJobs.after(deliveries);
  await queueRows(
    deps,
    reset.map((row) => ({
      ...row,
      destinations: deliveries
        .filter((delivery) => delivery.rowId === row.rowId)
        .map((delivery) => delivery.destination),
    })),
  );
  return reset.map((row) => row.rowId);
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
    const found = await replayableAfter(deps.db, filter, { afterId, limit: batchSize });
    const last = found.at(-1);
    if (last === undefined) return { replayed, batches };
    batches += 1;
    const done = await replayRows(deps, found);
    replayed += done.length;
    onBatch?.(done.length);
    afterId = last;
  }
}

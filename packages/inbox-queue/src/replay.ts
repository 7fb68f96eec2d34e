import type { EventStatus } from '@webhook-inbox/db';
import {
  type Actor,
  type EventFilter,
  getEvent,
  replayableAfter,
  resetDeliveriesOfReplayed,
  resetForReplay,
  subscriberStatus,
  undeliveredOf,
  whyNotReplayable,
  whySubscriberNotReplayable,
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
 * Which of an event's in-process subscribers a replay runs again: `subscriber` alone, or (when
 * absent) every one that failed on it. Processed subscribers never run again either way.
 */
export interface ReplayTarget {
  readonly subscriber?: string;
}

/**
 * Gives the rows a fresh start: their old job is removed (a kept failed or completed job would
 * make the new add a no-op), each row still replayable is reset with its deliveries that ended
 * without reaching their destination (dead, disabled), and the jobs are added. Should Redis fail
 * after the reset, the rows stay unmarked and the relay queues them later.
 */
async function replayRows(
  deps: ReplayDeps,
  rowIds: readonly number[],
  { subscriber }: ReplayTarget,
): Promise<number[]> {
  if (rowIds.length === 0) return [];
  await removeJobs(deps.queue, rowIds);
  // A replay of one in-process subscriber runs that subscriber alone: HTTP destinations are
  // resent only by a replay of the whole event.
  const resendsDeliveries = subscriber === undefined;
  const deliveryJobs = freshDeliveryJobs(
    deps.deliveryQueue,
    resendsDeliveries ? await undeliveredOf(deps.db, rowIds) : [],
  );
  await deliveryJobs.before();
  const reset = await resetForReplay(deps.db, rowIds, deps.actor, subscriber);
  const deliveries = resendsDeliveries
    ? await resetDeliveriesOfReplayed(
        deps.db,
        reset.map((row) => row.rowId),
      )
    : [];
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

/** Why the target cannot be replayed on the row; undefined when it can. */
async function whyTargetNotReplayable(deps: ReplayDeps, rowId: number, target: ReplayTarget) {
  if (target.subscriber === undefined) return undefined;
  const status = await subscriberStatus(deps.db, { rowId, subscriber: target.subscriber });
  return whySubscriberNotReplayable(target.subscriber, status);
}

export async function replayEvent(
  deps: ReplayDeps,
  rowId: number,
  target: ReplayTarget = {},
): Promise<ReplayOneOutcome> {
  const row = await getEvent(deps.db, rowId);
  if (!row) return { kind: 'missing' };
  if (row.prunedAt) return { kind: 'pruned' };
  const reason =
    whyNotReplayable(row.status) ?? (await whyTargetNotReplayable(deps, rowId, target));
  if (reason) return { kind: 'not_replayable', status: row.status, reason };
  const [replayed] = await replayRows(deps, [rowId], target);
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
 * Replays every dead or ignored event the filter matches (with a subscriber named, those it
 * failed on), `batchSize` rows at a time in ID order. Each batch is its own short statement,
 * so a large replay holds no long lock, and an event that dies again during the run is not
 * replayed twice (the walk only moves forward).
 */
export async function replayMatching(
  deps: ReplayDeps,
  filter: EventFilter,
  {
    batchSize = 500,
    onBatch,
    subscriber,
  }: ReplayTarget & {
    readonly batchSize?: number;
    /** Told how many rows each batch replayed (a progress bar). */
    readonly onBatch?: (replayed: number) => void;
  } = {},
): Promise<FilterReplayResult> {
  let afterId = 0;
  let replayed = 0;
  let batches = 0;
  for (;;) {
    const found = await replayableAfter(deps.db, filter, { afterId, limit: batchSize, subscriber });
    const last = found.at(-1);
    if (last === undefined) return { replayed, batches };
    batches += 1;
    const done = await replayRows(deps, found, { subscriber });
    replayed += done.length;
    onBatch?.(done.length);
    afterId = last;
  }
}

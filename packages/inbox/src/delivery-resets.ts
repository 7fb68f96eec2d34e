import {
  type Database,
  disabledDestinations,
  eventDeliveries,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DeliveryKey, DeliveryToQueue } from './deliveries.ts';

const d = eventDeliveries;
const e = webhookEvents;

/**
 * A fresh start: pending, every try of its retry policy again, no job known (the caller queues
 * it). The attempts table keeps what happened before, and `last_*` still describe the last try.
 */
const FRESH_START = {
  status: 'pending',
  attempts: 0,
  queuedAt: null,
  deliveredAt: null,
  nextAttemptAt: null,
} as const;

const returningKey = { rowId: d.eventRowId, destination: d.destination, source: e.source };

/**
 * The deliveries a 410 left `disabled`: before an enable resets them, their finished jobs are
 * removed, or adding their jobs again would be a no-op.
 */
export async function disabledDeliveries(
  db: Database,
  source: string,
  destination: string,
): Promise<DeliveryToQueue[]> {
  return db
    .select(returningKey)
    .from(d)
    .innerJoin(e, eq(e.id, d.eventRowId))
    .where(and(eq(e.source, source), eq(d.destination, destination), eq(d.status, 'disabled')))
    .orderBy(asc(d.eventRowId));
}

export interface EnabledDestination {
  /** Whether the destination was disabled (false: there was nothing to enable). */
  readonly wasDisabled: boolean;
  /** Its deliveries that had ended `disabled`, now pending again: the caller queues them. */
  readonly resumed: DeliveryToQueue[];
}

/**
 * Lets a destination disabled by a 410 receive events again, and in the same transaction gives
 * each of its deliveries that ended `disabled` a fresh start, so nothing sent while it was
 * disabled is lost.
 */
export async function enableDestination(
  db: Database,
  source: string,
  destination: string,
): Promise<EnabledDestination> {
  return db.transaction(async (tx) => {
    const deleted = await tx
      .delete(disabledDestinations)
      .where(
        and(
          eq(disabledDestinations.source, source),
          eq(disabledDestinations.destination, destination),
        ),
      );
    const resumed = await tx
      .update(d)
      .set(FRESH_START)
      .from(e)
      .where(
        and(
          eq(e.id, d.eventRowId),
          eq(e.source, source),
          eq(d.destination, destination),
          eq(d.status, 'disabled'),
        ),
      )
      .returning(returningKey);
    return { wasDisabled: (deleted.rowCount ?? 0) > 0, resumed };
  });
}

/** Statuses a delivery ends in without reaching its destination: what a replay sends again. */
const UNDELIVERED = ['dead', 'disabled'] as const;

/**
 * Gives one delivery that ended without reaching its destination a fresh start (an operator's
 * redelivery). Undefined when the event has no such delivery, or it is not dead or disabled.
 */
export async function resetDeliveryForReplay(
  db: Database,
  { rowId, destination }: DeliveryKey,
): Promise<DeliveryToQueue | undefined> {
  const [row] = await db
    .update(d)
    .set(FRESH_START)
    .from(e)
    .where(
      and(
        eq(d.eventRowId, rowId),
        eq(d.destination, destination),
        eq(e.id, d.eventRowId),
        inArray(d.status, [...UNDELIVERED]),
      ),
    )
    .returning(returningKey);
  return row;
}

/** The events' deliveries that ended without reaching their destination: what a replay resets. */
const undeliveredOfRows = (rowIds: readonly number[]) =>
  and(inArray(d.eventRowId, [...rowIds]), inArray(d.status, [...UNDELIVERED]));

/** The events' deliveries a replay would reset, for their finished jobs to be removed first. */
export async function undeliveredOf(
  db: Database,
  rowIds: readonly number[],
): Promise<DeliveryToQueue[]> {
  if (rowIds.length === 0) return [];
  return db
    .select(returningKey)
    .from(d)
    .innerJoin(e, eq(e.id, d.eventRowId))
    .where(undeliveredOfRows(rowIds));
}

/**
 * The replayed events' deliveries that ended without reaching their destination (`dead`,
 * `disabled`), given a fresh start with them. Delivered ones are left: the destination has the
 * event; unfinished ones are left: their job is still on its way.
 */
export async function resetDeliveriesOfReplayed(
  db: Database,
  rowIds: readonly number[],
): Promise<DeliveryToQueue[]> {
  if (rowIds.length === 0) return [];
  return db
    .update(d)
    .set(FRESH_START)
    .from(e)
    .where(and(eq(e.id, d.eventRowId), undeliveredOfRows(rowIds)))
    .returning(returningKey);
}

/** Names of the destinations disabled by a 410, per source: the metrics' and the console's list. */
export async function listDisabledDestinations(db: Database) {
  return db
    .select({
      source: disabledDestinations.source,
      destination: disabledDestinations.destination,
      disabledAt: disabledDestinations.disabledAt,
      reason: disabledDestinations.reason,
    })
    .from(disabledDestinations)
    .orderBy(asc(disabledDestinations.source), asc(disabledDestinations.destination));
}

import {
  type Database,
  type DeliveryAttemptRow,
  type DeliveryStatus,
  disabledDestinations,
  type EventDeliveryRow,
  eventDeliveries,
  eventDeliveryAttempts,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, asc, eq, getTableColumns, inArray, isNotNull, isNull, lt, sql } from 'drizzle-orm';

/** One (event, destination): the ledger's key, and what a delivery job names. */
export interface DeliveryKey {
  readonly rowId: number;
  readonly destination: string;
}

/** A ledger row that needs a job, with what the job's options are derived from. */
export interface DeliveryToQueue extends DeliveryKey {
  readonly source: string;
}

/** Statuses after which nothing more is sent unless an operator asks. */
const UNFINISHED: DeliveryStatus[] = ['pending', 'failed'];

const d = eventDeliveries;
const e = webhookEvents;

const keyMatch = ({ rowId, destination }: DeliveryKey) =>
  and(eq(d.eventRowId, rowId), eq(d.destination, destination));

/** What one attempt needs: the event as stored, the ledger row, and whether it may be sent. */
export interface DeliveryWork {
  readonly status: DeliveryStatus;
  /** Requests made so far. */
  readonly attempts: number;
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly receivedAt: Date;
  /** Null once retention pruned the event. */
  readonly payload: unknown;
  readonly headers: Record<string, string> | null;
  /** The destination answered 410 to some event and no operator has enabled it since. */
  readonly destinationDisabled: boolean;
}

export async function deliveryWork(
  db: Database,
  key: DeliveryKey,
): Promise<DeliveryWork | undefined> {
  const [row] = await db
    .select({
      status: d.status,
      attempts: d.attempts,
      source: e.source,
      eventId: e.eventId,
      eventType: e.eventType,
      receivedAt: e.receivedAt,
      payload: e.payload,
      headers: e.headers,
      destinationDisabled: sql<boolean>`exists (
        select 1 from ${disabledDestinations} x
        where x.source = ${e.source} and x.destination = ${d.destination})`,
    })
    .from(d)
    .innerJoin(e, eq(e.id, d.eventRowId))
    .where(keyMatch(key));
  return row;
}

/** One request as the attempts table keeps it. */
export interface DeliveryAttemptToRecord {
  readonly at: Date;
  readonly statusCode: number | undefined;
  readonly latencyMs: number;
  readonly responseSnippet: string;
  readonly error: string | undefined;
}

export interface DeliveryResult {
  readonly status: Exclude<DeliveryStatus, 'pending'>;
  /** Absent when no request was made (the destination is disabled, or left the config). */
  readonly attempt?: DeliveryAttemptToRecord;
  /** Why no request was made, for the ledger's last error. */
  readonly error?: string;
  /** A 410: the destination is disabled for every later event of its source too. */
  readonly disable?: { readonly source: string; readonly reason: string };
  /** When the runner will try again (status `failed`); the ledger shows it. */
  readonly nextAttemptAt?: Date;
}

const destinationStillDisabled = sql`exists (
  select 1 from ${disabledDestinations} x join ${e} on ${e.id} = ${d.eventRowId}
  where x.source = ${e.source} and x.destination = ${d.destination})`;

/**
 * Records an attempt and the ledger status it led to in one transaction. A row already
 * delivered keeps its status: a second worker that ran the same delivery (a stalled job)
 * cannot turn it back into a failure. Returns false when there was no row left to update, or
 * the destination refused as disabled was enabled meanwhile.
 */
export async function recordDelivery(
  db: Database,
  key: DeliveryKey,
  result: DeliveryResult,
): Promise<boolean> {
  const { attempt, status } = result;
  return db.transaction(async (tx) => {
    if (attempt) {
      await tx.insert(eventDeliveryAttempts).values({
        eventRowId: key.rowId,
        destination: key.destination,
        at: attempt.at,
        statusCode: attempt.statusCode ?? null,
        latencyMs: attempt.latencyMs,
        responseSnippet: attempt.responseSnippet,
        error: attempt.error ?? null,
        outcome: status,
      });
    }
    const updated = await tx
      .update(d)
      .set({
        status,
        attempts: attempt ? sql`${d.attempts} + 1` : d.attempts,
        lastStatusCode: attempt ? (attempt.statusCode ?? null) : d.lastStatusCode,
        lastError: attempt ? (attempt.error ?? null) : (result.error ?? d.lastError),
        deliveredAt: status === 'delivered' ? sql`now()` : d.deliveredAt,
        nextAttemptAt: result.nextAttemptAt ?? null,
      })
      .where(
        and(
          keyMatch(key),
          sql`${d.status} <> 'delivered'`,
          // Refused as disabled: only while it still is, or an enable that came in between
          // would be undone and the delivery left disabled for good.
          status === 'disabled' && !attempt ? destinationStillDisabled : undefined,
        ),
      );
    if (result.disable) {
      await tx
        .insert(disabledDestinations)
        .values({ ...result.disable, destination: key.destination })
        .onConflictDoNothing();
    }
    return (updated.rowCount ?? 0) > 0;
  });
}

/**
 * A try put off without a request (an open breaker, the rate limit): only the planned time
 * changes, on a row still unfinished.
 */
export async function deferDelivery(db: Database, key: DeliveryKey, at: Date): Promise<void> {
  await db
    .update(d)
    .set({ nextAttemptAt: at })
    .where(and(keyMatch(key), inArray(d.status, UNFINISHED)));
}

export type DeliveryAttempt = Omit<DeliveryAttemptRow, 'eventRowId' | 'destination'>;

export interface DeliveryDetail extends Omit<EventDeliveryRow, 'eventRowId' | 'queuedAt'> {
  /** The destination answered 410 (to this or another event) and is not enabled again yet. */
  readonly destinationDisabled: boolean;
  readonly history: readonly DeliveryAttempt[];
}

/** An event's deliveries with their attempts, oldest first, for the CLI and the console. */
export async function eventDeliveryDetails(db: Database, rowId: number): Promise<DeliveryDetail[]> {
  const { eventRowId: _row, queuedAt: _queued, ...columns } = getTableColumns(d);
  const [rows, attempts] = await Promise.all([
    db
      .select({
        ...columns,
        destinationDisabled: sql<boolean>`exists (
          select 1 from ${disabledDestinations} x
          where x.source = ${e.source} and x.destination = ${d.destination})`,
      })
      .from(d)
      .innerJoin(e, eq(e.id, d.eventRowId))
      .where(eq(d.eventRowId, rowId))
      .orderBy(asc(d.destination)),
    db
      .select()
      .from(eventDeliveryAttempts)
      .where(eq(eventDeliveryAttempts.eventRowId, rowId))
      .orderBy(asc(eventDeliveryAttempts.at), asc(eventDeliveryAttempts.id)),
  ]);
  return rows.map((row) => ({
    ...row,
    history: attempts
      .filter((attempt) => attempt.destination === row.destination)
      .map(({ eventRowId: _e, destination: _d, ...attempt }) => attempt),
  }));
}

/** Unfinished deliveries with no job known to exist, older than `olderThanMs`: the relay's list. */
export async function unqueuedDeliveries(
  db: Database,
  { olderThanMs, limit }: { olderThanMs: number; limit: number },
): Promise<DeliveryToQueue[]> {
  return db
    .select({ rowId: d.eventRowId, destination: d.destination, source: e.source })
    .from(d)
    .innerJoin(e, eq(e.id, d.eventRowId))
    .where(
      and(
        inArray(d.status, UNFINISHED),
        isNull(d.queuedAt),
        lt(d.createdAt, sql`now() - ${olderThanMs} * interval '1 millisecond'`),
      ),
    )
    .orderBy(asc(d.eventRowId), asc(d.destination))
    .limit(limit);
}

/** After their jobs were added: the relay leaves these deliveries alone. */
export async function markDeliveriesQueued(
  db: Database,
  keys: readonly DeliveryKey[],
): Promise<void> {
  if (keys.length === 0) return;
  await db
    .update(d)
    .set({ queuedAt: sql`now()` })
    .where(
      and(
        isNull(d.queuedAt),
        sql`(${d.eventRowId}, ${d.destination}) in (select * from unnest(${sql.param(
          keys.map((k) => k.rowId),
        )}::bigint[], ${sql.param(keys.map((k) => k.destination))}::text[]))`,
      ),
    );
}

/** Redis lost its jobs: every unfinished delivery needs its job again. Returns how many. */
export async function markAllDeliveriesUnqueued(db: Database): Promise<number> {
  const reset = await db
    .update(d)
    .set({ queuedAt: null })
    .where(and(inArray(d.status, UNFINISHED), isNotNull(d.queuedAt)));
  return reset.rowCount ?? 0;
}

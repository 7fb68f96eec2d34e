import {
  type Database,
  type EventSubscriberRow,
  eventSubscribers,
  type SubscriberStatus,
  type Transaction,
} from '@webhook-inbox/db';
import { type AnyColumn, and, asc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';

export type { SubscriberStatus };

/** An event's ledger as its claim reads it: each subscriber that has a row, and its status. */
export type SubscriberLedger = Readonly<Record<string, SubscriberStatus>>;

/** One (event, subscriber): the ledger's key. */
export interface SubscriberKey {
  readonly rowId: number;
  readonly subscriber: string;
}

/** A subscriber whose attempt failed, with what it failed with. */
export interface SubscriberFailure {
  readonly subscriber: string;
  readonly error: string;
  /** No retry can fix it (a payload its schema refuses): dead now, while others retry. */
  readonly unrecoverable?: boolean;
}

const s = eventSubscribers;

/** The name of a handler registered without one: the only subscriber of most events. */
export const DEFAULT_SUBSCRIBER = 'default';

/** What a subscriber may be named: it is a ledger key, and typed on a command line. */
export const SUBSCRIBER_NAME_RULE =
  'lower-case letters, digits, _ or -, starting with a letter or digit';
export const SUBSCRIBER_NAME = /^[a-z0-9][a-z0-9_-]*$/;

export function isSubscriberName(name: string): boolean {
  return SUBSCRIBER_NAME.test(name);
}

/** A subscriber in one of these runs at the event's next attempt; `processed` and `dead` do not. */
export const SUBSCRIBER_RUNS: readonly SubscriberStatus[] = ['pending', 'failed'];

/** Replay gives these a fresh start; `processed` never, its effects must stay once. */
const SUBSCRIBER_REPLAYABLE: SubscriberStatus[] = ['failed', 'dead'];

/**
 * The claim's column for the ledger (`w` is the event's row): one index probe per row, null
 * when the event has no row, so an event with one subscriber costs no extra round trip.
 */
export const LEDGER_COLUMN = `(select json_object_agg(s.subscriber, s.status)
           from event_subscribers s where s.event_row_id = w.id) as subscribers`;

// Sent with its group's commit, in the same write. A row already there (a failed attempt, a
// replay) is the same subscriber finishing now.
const RECORD_PROCESSED = {
  name: 'inbox_record_subscribers_processed',
  text: `insert into event_subscribers
           (event_row_id, subscriber, status, attempts, processed_at, updated_at)
         select u.id, u.subscriber, 'processed', 1, now(), now()
         from unnest($1::bigint[], $2::text[]) as u(id, subscriber)
         on conflict (event_row_id, subscriber) do update
         set status = 'processed', attempts = event_subscribers.attempts + 1, last_error = null,
             processed_at = now(), updated_at = now()`,
};

/**
 * The statement that marks these subscribers processed, for the group's commit to send inside
 * its transaction; undefined when there are none.
 */
export function processedSubscribersStatement(
  done: readonly SubscriberKey[],
): pg.QueryConfig | undefined {
  if (done.length === 0) return undefined;
  return {
    ...RECORD_PROCESSED,
    values: [done.map((key) => key.rowId), done.map((key) => key.subscriber)],
  };
}

/**
 * Inside the transaction that records the event's failed attempt: each failing subscriber's row
 * says `failed`, or `dead` after the event's last attempt or a failure no retry can fix, with
 * its own error. A row already processed keeps its status: a second worker that ran the event
 * meanwhile cannot turn a subscriber's committed effects into a failure.
 */
export async function recordSubscriberFailures(
  tx: Transaction,
  rowId: number,
  failures: readonly SubscriberFailure[],
  final: boolean,
): Promise<void> {
  if (failures.length === 0) return;
  await tx
    .insert(s)
    .values(
      failures.map(({ subscriber, error, unrecoverable }) => ({
        eventRowId: rowId,
        subscriber,
        status: final || unrecoverable ? ('dead' as const) : ('failed' as const),
        attempts: 1,
        lastError: error,
      })),
    )
    .onConflictDoUpdate({
      target: [s.eventRowId, s.subscriber],
      set: {
        status: sql`excluded.status`,
        attempts: sql`${s.attempts} + 1`,
        lastError: sql`excluded.last_error`,
        updatedAt: sql`now()`,
      },
      setWhere: sql`${s.status} <> 'processed'`,
    });
}

/** Events whose ledger lets `subscriber` be replayed (a `webhook_events` condition). */
export function subscriberReplayable(eventId: AnyColumn, subscriber: string): SQL {
  return sql`exists (select 1 from ${s} where ${s.eventRowId} = ${eventId}
    and ${s.subscriber} = ${subscriber} and ${inArray(s.status, SUBSCRIBER_REPLAYABLE)})`;
}

/**
 * Inside a replay's transaction, after the events were reset: the subscribers that failed on
 * them wait for the next attempt again, all of them or only `subscriber`. Processed ones are
 * left alone, so they never run twice; dead ones not named stay dead and are skipped.
 */
export async function resetSubscribersForReplay(
  tx: Transaction,
  rowIds: readonly number[],
  subscriber: string | undefined,
): Promise<void> {
  if (rowIds.length === 0) return;
  await tx
    .update(s)
    .set({ status: 'pending', attempts: 0, lastError: null, updatedAt: sql`now()` })
    .where(
      and(
        inArray(s.eventRowId, [...rowIds]),
        inArray(s.status, SUBSCRIBER_REPLAYABLE),
        subscriber === undefined ? undefined : eq(s.subscriber, subscriber),
      ),
    );
}

/** Why `subscriber` of an event cannot be replayed, given its ledger status; undefined if it can. */
export function whySubscriberNotReplayable(
  subscriber: string,
  status: SubscriberStatus | undefined,
): string | undefined {
  switch (status) {
    case 'failed':
    case 'dead':
      return undefined;
    case 'processed':
      return `subscriber "${subscriber}" processed it: its effects happened once and must stay once`;
    case 'pending':
      return `subscriber "${subscriber}" is already waiting for its next attempt`;
    case undefined:
      return `no subscriber "${subscriber}" failed on it; check the name, or replay without --subscriber`;
    default: {
      const never: never = status;
      return never;
    }
  }
}

export type SubscriberDetail = Omit<EventSubscriberRow, 'eventRowId'>;

/** An event's subscribers that have a ledger row, by name, for the CLI and the console. */
export async function eventSubscriberDetails(
  db: Database,
  rowId: number,
): Promise<SubscriberDetail[]> {
  const rows = await db.select().from(s).where(eq(s.eventRowId, rowId)).orderBy(asc(s.subscriber));
  return rows.map(({ eventRowId: _row, ...row }) => row);
}

/** One subscriber's ledger status for an event; undefined when it has no row. */
export async function subscriberStatus(
  db: Database,
  { rowId, subscriber }: SubscriberKey,
): Promise<SubscriberStatus | undefined> {
  const [row] = await db
    .select({ status: s.status })
    .from(s)
    .where(and(eq(s.eventRowId, rowId), eq(s.subscriber, subscriber)));
  return row?.status;
}

import {
  type Database,
  type EventStatus,
  inOneWrite,
  webhookEventAttempts,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { checkOrder, ORDER_COLUMNS, type OrderCheck } from './ordering.ts';
import { MAX_PAYLOAD_READ_BYTES, PayloadTooLargeError } from './payload-read.ts';
import { isFinished, statusesMovingTo } from './status.ts';
import {
  LEDGER_COLUMN,
  processedSubscribersStatement,
  recordSubscriberFailures,
  type SubscriberFailure,
  type SubscriberKey,
  type SubscriberLedger,
} from './subscribers.ts';

const MAX_ERROR_LENGTH = 2_000;

/** What a handler is given of its row, and nothing more (no digests, no bookkeeping columns). */
export interface ClaimedEvent {
  readonly id: number;
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly payload: unknown;
  readonly headers: Record<string, string> | null;
  readonly receivedAt: Date;
  readonly attempts: number;
  /** Set when its source orders events and its payload gave a key. */
  readonly ordering?: ClaimedOrdering;
}

/** Where an ordered event stands in its key when claimed. */
export interface ClaimedOrdering {
  readonly key: string;
  /** The value it is ordered by (epoch ms for a date); null by arrival or when absent. */
  readonly value: number | null;
  /** The largest value applied so far for its key; null when none (or ordered by arrival). */
  readonly previous: number | null;
}

export type Claim =
  | { readonly kind: 'missing' }
  /** Processed or ignored already: the job ends without running anything. */
  | { readonly kind: 'finished'; readonly event: ClaimedEvent }
  /** Unfinished: `ledger` says which of its subscribers are done, dead or still to run. */
  | { readonly kind: 'claimed'; readonly event: ClaimedEvent; readonly ledger: SubscriberLedger }
  /**
   * Ordered, and an earlier event of its key has not finished (`waitsFor`), or another group is
   * running its key (`waitsFor` null): it must not run yet.
   */
  | { readonly kind: 'waiting'; readonly event: ClaimedEvent; readonly waitsFor: number | null }
  /** Ordered by a value older than the last applied for its key: marked stale, never run. */
  | { readonly kind: 'stale'; readonly event: ClaimedEvent }
  /** Unfinished, but its payload prints past the read limit: no handler can be given it. */
  | {
      readonly kind: 'unreadable';
      readonly event: ClaimedEvent;
      readonly error: PayloadTooLargeError;
    };

// The worker's hot path, as named statements: each connection parses and plans them once.
// The payload is printed once (offset 0 keeps Postgres from inlining the subquery and printing
// it twice), measured, and sent only within the read limit; JSON.parse is what node-postgres
// would run on a jsonb column anyway. Rows are locked in ID order, the order every group uses,
// so two groups sharing rows queue behind each other instead of deadlocking.
const CLAIM = {
  name: 'inbox_claim_group',
  text: `select w.id, w.source, w.event_id, w.event_type, w.headers, w.received_at, w.attempts,
                w.status, w.ordering_key, w.ordering_value, ${ORDER_COLUMNS},
                octet_length(p.text) as payload_bytes,
                case when octet_length(p.text) <= ${MAX_PAYLOAD_READ_BYTES} then p.text end as payload,
                ${LEDGER_COLUMN}
         from webhook_events w cross join lateral (select w.payload::text as text offset 0) p
         where w.id = any($1::bigint[]) order by w.id for update of w`,
};
const MARK_HANDLED = {
  name: 'inbox_mark_handled_group',
  text: `update webhook_events w
         set status = u.status, attempts = w.attempts + 1, last_error = u.last_error,
             processed_at = case when u.status = 'dead' then null else now() end
         from unnest($1::bigint[], $2::event_status[], $3::text[]) as u(id, status, last_error)
         where w.id = u.id`,
};
const RECORD_ATTEMPTS = {
  name: 'inbox_record_attempts',
  text: `insert into webhook_event_attempts (event_row_id, kind, at, duration_ms, outcome, actor)
         select u.id, 'attempt', u.at, u.duration_ms, u.outcome, u.actor
         from unnest($1::bigint[], $2::timestamptz[], $3::int[], $4::text[], $5::text[])
           as u(id, at, duration_ms, outcome, actor)`,
};

/** Who ran an attempt and how long it took, for the event's history. */
export interface AttemptRecord {
  /** The worker, e.g. its host name and process ID. */
  readonly worker: string;
  readonly startedAt: Date;
  readonly durationMs: number;
}

/**
 * A row whose subscribers all ran (or that had none), to be marked in its group's commit:
 * `dead` when one of them died at an earlier attempt and was not replayed, with why.
 */
export type HandledRow = {
  readonly rowId: number;
  readonly attempt: AttemptRecord;
} & (
  | { readonly status: 'processed' | 'ignored' | 'stale' }
  | { readonly status: 'dead'; readonly error: string }
);

interface ClaimRow {
  id: string;
  source: string;
  event_id: string;
  event_type: string;
  payload: string | null;
  payload_bytes: number | null;
  headers: Record<string, string> | null;
  received_at: Date;
  attempts: number;
  status: EventStatus;
  subscribers: SubscriberLedger | null;
  ordering_key: string | null;
  ordering_value: string | null;
  waits_for: string | null;
  key_locked: boolean | null;
}

function eventOf(row: ClaimRow, previous: number | null): ClaimedEvent {
  const ordering =
    row.ordering_key === null
      ? undefined
      : {
          key: row.ordering_key,
          value: row.ordering_value === null ? null : Number(row.ordering_value),
          previous,
        };
  return {
    id: Number(row.id),
    source: row.source,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload === null ? null : JSON.parse(row.payload),
    headers: row.headers,
    receivedAt: row.received_at,
    attempts: row.attempts,
    ...(ordering && { ordering }),
  };
}

/** Whether the claim must ask where the row stands in its key before it may run. */
const isOrderedAndUnfinished = (row: ClaimRow) =>
  row.ordering_key !== null && !isFinished(row.status);

function claimOf(row: ClaimRow, order: OrderCheck | undefined): Claim {
  const tooLarge = row.payload === null && row.payload_bytes !== null;
  const event = eventOf(row, order?.previous ?? null);
  if (isFinished(row.status)) return { kind: 'finished', event };
  if (isOrderedAndUnfinished(row)) {
    if (row.waits_for !== null) return { kind: 'waiting', event, waitsFor: Number(row.waits_for) };
    if (row.key_locked !== true) return { kind: 'waiting', event, waitsFor: null };
    if (order?.waitsFor != null) return { kind: 'waiting', event, waitsFor: order.waitsFor };
    const { value, previous } = event.ordering ?? { value: null, previous: null };
    if (value !== null && previous !== null && value < previous) return { kind: 'stale', event };
  }
  if (tooLarge)
    return {
      kind: 'unreadable',
      event,
      error: new PayloadTooLargeError(Number(row.payload_bytes)),
    };
  return { kind: 'claimed', event, ledger: row.subscribers ?? {} };
}

/**
 * Begins a group's transaction on `client` and locks its rows for the rest of it, with one
 * statement: every job of one event queues behind its row's lock, so a handler never runs
 * twice at once, and a finished row ends its job at once. A row ID not in the answer is
 * `missing`. On a pipelining client BEGIN and the claim share one round trip.
 *
 * The same statement tells whether an earlier event of an ordered row's key is unfinished (then
 * it waits), and locks the key of one that may run; a second one, sent only when the group holds
 * such rows, checks again with a snapshot taken after the lock, and reads the last value applied
 * for the key (an older event is stale). Unordered rows cost nothing more.
 */
export async function beginClaims(
  client: pg.ClientBase,
  rowIds: readonly number[],
): Promise<Map<number, Claim>> {
  const [, claimed] = await Promise.all(
    inOneWrite(
      client,
      () =>
        [client.query('begin'), client.query<ClaimRow>({ ...CLAIM, values: [rowIds] })] as const,
    ),
  );
  const claims = new Map<number, Claim>(rowIds.map((rowId) => [rowId, { kind: 'missing' }]));
  const toCheck = claimed.rows.filter(
    (row) => isOrderedAndUnfinished(row) && row.key_locked === true,
  );
  const order =
    toCheck.length > 0
      ? await checkOrder(
          client,
          toCheck.map((row) => Number(row.id)),
        )
      : undefined;
  for (const row of claimed.rows)
    claims.set(Number(row.id), claimOf(row, order?.get(Number(row.id))));
  return claims;
}

/**
 * A savepoint inside a group's transaction, one per handler: a handler that fails rolls back
 * to its own and leaves the others' writes in place. They nest rather than being released, as
 * a release would cost a round trip per handler and Postgres keeps their IDs either way.
 */
export async function savepoint(client: pg.ClientBase, index: number): Promise<void> {
  await client.query(`savepoint handler_${Math.trunc(index)}`);
}

/** Undoes everything since `savepoint(client, index)`; the transaction goes on. */
export async function rollbackToSavepoint(client: pg.ClientBase, index: number): Promise<void> {
  await client.query(`rollback to savepoint handler_${Math.trunc(index)}`);
}

/**
 * After a group's handlers: marks their rows, records their attempts in the rows' histories,
 * marks the subscribers that are `done` in the ledger and commits, so each handler's writes,
 * its ledger row and its event's mark commit together. `done` may name subscribers of rows not
 * marked (another subscriber of theirs failed). On a pipelining client all share one round
 * trip; should a statement fail, Postgres turns the COMMIT into a rollback, and that
 * statement's error is what this throws.
 */
export async function markHandledAndCommit(
  client: pg.ClientBase,
  handled: readonly HandledRow[],
  done: readonly SubscriberKey[] = [],
): Promise<void> {
  const ids = handled.map((row) => row.rowId);
  const errors = handled.map((row) => (row.status === 'dead' ? row.error : null));
  const marks: pg.QueryConfig[] = [
    { ...MARK_HANDLED, values: [ids, handled.map((row) => row.status), errors] },
    {
      ...RECORD_ATTEMPTS,
      values: [
        ids,
        handled.map((row) => row.attempt.startedAt),
        handled.map((row) => Math.round(row.attempt.durationMs)),
        handled.map((row) => row.status),
        handled.map((row) => row.attempt.worker),
      ],
    },
  ];
  const ledger = processedSubscribersStatement(done);
  await Promise.all(
    inOneWrite(client, () => [
      ...(ledger ? [client.query(ledger)] : []),
      ...(handled.length > 0 ? marks.map((mark) => client.query(mark)) : []),
      client.query('commit'),
    ]),
  );
}

/** Ends, on the same client, a transaction `beginClaims` began and that must not commit. */
export async function rollback(client: pg.ClientBase): Promise<void> {
  await client.query('rollback');
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Records a failed attempt after the handler's transaction rolled back: `failed` while more
 * attempts will come, `dead` after the last, the attempt in its history, and each subscriber
 * that failed in its ledger, in one transaction of its own. A row finished meanwhile is left as
 * it is, and so are its history and its ledger.
 */
export async function recordFailure(
  db: Database,
  rowId: number,
  error: unknown,
  final: boolean,
  attempt: AttemptRecord,
  subscribers: readonly SubscriberFailure[] = [],
): Promise<void> {
  const status = final ? 'dead' : 'failed';
  const lastError = describeError(error);
  await db.transaction(async (tx) => {
    const marked = await tx
      .update(webhookEvents)
      .set({ status, attempts: sql`${webhookEvents.attempts} + 1`, lastError })
      .where(
        and(eq(webhookEvents.id, rowId), inArray(webhookEvents.status, statusesMovingTo(status))),
      )
      .returning({ id: webhookEvents.id });
    if (marked.length === 0) return;
    await recordSubscriberFailures(tx, rowId, subscribers, final);
    await tx.insert(webhookEventAttempts).values({
      eventRowId: rowId,
      kind: 'attempt',
      at: attempt.startedAt,
      durationMs: Math.round(attempt.durationMs),
      outcome: status,
      error: lastError,
      actor: attempt.worker,
    });
  });
}

/**
 * For jobs BullMQ failed for good while the row says otherwise (the job stalled more often than
 * allowed, or the last failure could not be recorded): the row must not stay unfinished.
 */
export async function markDeadIfUnfinished(
  db: Database,
  rowId: number,
  error: Error,
  worker: string,
): Promise<void> {
  const lastError = describeError(error);
  await db.transaction(async (tx) => {
    const marked = await tx
      .update(webhookEvents)
      .set({ status: 'dead', lastError })
      .where(
        and(eq(webhookEvents.id, rowId), inArray(webhookEvents.status, statusesMovingTo('dead'))),
      )
      .returning({ id: webhookEvents.id });
    if (marked.length === 0) return;
    await tx.insert(webhookEventAttempts).values({
      eventRowId: rowId,
      kind: 'gave_up',
      outcome: 'dead',
      error: lastError,
      actor: worker,
    });
  });
}

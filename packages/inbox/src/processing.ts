import {
  type Database,
  type EventStatus,
  webhookEventAttempts,
  webhookEvents,
} from '@webhook-inbox/db';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type pg from 'pg';
import { MAX_PAYLOAD_READ_BYTES, PayloadTooLargeError } from './payload-read.ts';
import { isFinished, statusesMovingTo } from './status.ts';

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
}

export type Claim =
  | { readonly kind: 'missing' }
  /** Processed or ignored already: the job ends without running anything. */
  | { readonly kind: 'finished'; readonly event: ClaimedEvent }
  | { readonly kind: 'claimed'; readonly event: ClaimedEvent }
  /** Unfinished, but its payload prints past the read limit: no handler can be given it. */
  | {
      readonly kind: 'unreadable';
      readonly event: ClaimedEvent;
      readonly error: PayloadTooLargeError;
    };

// The worker's hot path, as named statements: each connection parses and plans them once.
// The payload is printed once (offset 0 keeps Postgres from inlining the subquery and printing
// it twice), measured, and sent only within the read limit; JSON.parse is what node-postgres
// would run on a jsonb column anyway.
const CLAIM = {
  name: 'inbox_claim',
  text: `select w.source, w.event_id, w.event_type, w.headers, w.received_at, w.attempts, w.status,
                octet_length(p.text) as payload_bytes,
                case when octet_length(p.text) <= ${MAX_PAYLOAD_READ_BYTES} then p.text end as payload
         from webhook_events w cross join lateral (select w.payload::text as text offset 0) p
         where w.id = $1 for update of w`,
};
const MARK_HANDLED = {
  name: 'inbox_mark_handled',
  text: `update webhook_events
         set status = $2, attempts = attempts + 1, last_error = null, processed_at = now()
         where id = $1`,
};
const RECORD_ATTEMPT = {
  name: 'inbox_record_attempt',
  text: `insert into webhook_event_attempts (event_row_id, kind, at, duration_ms, outcome, actor)
         values ($1, 'attempt', $2, $3, $4, $5)`,
};

/** Who ran an attempt and how long it took, for the event's history. */
export interface AttemptRecord {
  /** The worker, e.g. its host name and process ID. */
  readonly worker: string;
  readonly startedAt: Date;
  readonly durationMs: number;
}

interface ClaimRow {
  source: string;
  event_id: string;
  event_type: string;
  payload: string | null;
  payload_bytes: number | null;
  headers: Record<string, string> | null;
  received_at: Date;
  attempts: number;
  status: EventStatus;
}

/**
 * Runs `send` with the client's socket corked, so that the statements it issues leave in one
 * write instead of one system call each (node-postgres writes every statement on its own).
 */
function inOneWrite<T>(client: pg.ClientBase, send: () => T): T {
  const stream = (client as unknown as { connection?: { stream?: NodeJS.WritableStream } })
    .connection?.stream as { cork?: () => void; uncork?: () => void } | undefined;
  stream?.cork?.();
  try {
    return send();
  } finally {
    stream?.uncork?.();
  }
}

/**
 * Begins the event's transaction on `client` and locks its row for the rest of it: every job
 * of one event queues behind this lock, so a handler never runs twice at once, and a finished
 * row ends the job at once. On a pipelining client BEGIN and the claim share one round trip.
 */
export async function beginClaim(client: pg.ClientBase, rowId: number): Promise<Claim> {
  const [, claimed] = await Promise.all(
    inOneWrite(
      client,
      () => [client.query('begin'), client.query<ClaimRow>({ ...CLAIM, values: [rowId] })] as const,
    ),
  );
  const [row] = claimed.rows;
  if (!row) return { kind: 'missing' };
  const tooLarge = row.payload === null && row.payload_bytes !== null;
  const event: ClaimedEvent = {
    id: rowId,
    source: row.source,
    eventId: row.event_id,
    eventType: row.event_type,
    payload: row.payload === null ? null : JSON.parse(row.payload),
    headers: row.headers,
    receivedAt: row.received_at,
    attempts: row.attempts,
  };
  if (isFinished(row.status)) return { kind: 'finished', event };
  if (tooLarge)
    return {
      kind: 'unreadable',
      event,
      error: new PayloadTooLargeError(Number(row.payload_bytes)),
    };
  return { kind: 'claimed', event };
}

/**
 * After the handler: marks the row, records the attempt in its history and commits, so its
 * writes, this mark and the record commit together. On a pipelining client all share one round
 * trip; should the mark fail, Postgres turns the COMMIT into a rollback, and the mark's error is
 * what this throws.
 */
export async function markHandledAndCommit(
  client: pg.ClientBase,
  rowId: number,
  status: 'processed' | 'ignored',
  attempt: AttemptRecord,
): Promise<void> {
  const recorded = [
    rowId,
    attempt.startedAt,
    Math.round(attempt.durationMs),
    status,
    attempt.worker,
  ];
  await Promise.all(
    inOneWrite(client, () => [
      client.query({ ...MARK_HANDLED, values: [rowId, status] }),
      client.query({ ...RECORD_ATTEMPT, values: recorded }),
      client.query('commit'),
    ]),
  );
}

/** Ends, on the same client, a transaction `beginClaim` began and that must not commit. */
export async function rollback(client: pg.ClientBase): Promise<void> {
  await client.query('rollback');
}

export function describeError(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.slice(0, MAX_ERROR_LENGTH);
}

/**
 * Records a failed attempt after the handler's transaction rolled back: `failed` while more
 * attempts will come, `dead` after the last, and the attempt in its history, in one transaction
 * of its own. A row finished meanwhile is left as it is, and so is its history.
 */
export async function recordFailure(
  db: Database,
  rowId: number,
  error: unknown,
  final: boolean,
  attempt: AttemptRecord,
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

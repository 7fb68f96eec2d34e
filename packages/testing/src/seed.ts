import { hash, randomBytes } from 'node:crypto';
import { type OrderingSpec, orderingOf, type RetryPolicy } from '@webhook-inbox/config';
import type { DeliveryStatus, EventStatus, SubscriberStatus } from '@webhook-inbox/db';
import {
  type EventToStore,
  recordDelivery,
  type StoreOutcome,
  storeEvent,
} from '@webhook-inbox/inbox';
import { queueRows } from '@webhook-inbox/inbox-queue';
import type { TestEnvironment } from './harness.ts';

export interface SeedRow {
  readonly source?: string;
  readonly eventId: string;
  readonly type?: string;
  readonly status?: EventStatus;
  readonly payload?: unknown;
  /** Minutes before now. */
  readonly minutesAgo?: number;
  readonly pruned?: boolean;
  /** Default: 3 for a dead or failed row, 0 otherwise. */
  readonly attempts?: number;
  /** Default: a handler's error for a dead or failed row, none otherwise. */
  readonly lastError?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** Its in-process subscribers' ledger rows, by name. */
  readonly subscribers?: Readonly<Record<string, SubscriberStatus>>;
  /** Its ordering key and value, as a source with `ordering` would have given it. */
  readonly ordering?: { readonly key: string; readonly value?: number };
}

/** Rows in given states and times, as the pipeline would have left them; returns their row IDs. */
export async function seedRows(
  env: Pick<TestEnvironment, 'db'>,
  rows: readonly SeedRow[],
): Promise<number[]> {
  const ids: number[] = [];
  for (const row of rows) {
    const failed = row.status === 'dead' || row.status === 'failed';
    const [inserted] = await env.db.rows<{ id: string }>(
      `insert into webhook_events
         (source, event_id, event_type, payload, headers, status, attempts, last_error,
          received_at, pruned_at, ordering_key, ordering_value)
       values ($1, $2, $3, $4::jsonb, $10::jsonb, $5, $6, $7,
               now() - $8 * interval '1 minute', case when $9 then now() end, $11, $12)
       returning id`,
      [
        row.source ?? 'payments',
        row.eventId,
        row.type ?? 'payment.succeeded',
        row.pruned ? null : JSON.stringify(row.payload ?? { id: row.eventId }),
        row.status ?? 'received',
        row.attempts ?? (failed ? 3 : 0),
        row.lastError !== undefined ? row.lastError : failed ? 'Error: handler threw' : null,
        row.minutesAgo ?? 0,
        row.pruned ?? false,
        JSON.stringify(row.headers ?? {}),
        row.ordering?.key ?? null,
        row.ordering?.value ?? null,
      ],
    );
    const rowId = Number(inserted?.id);
    for (const [subscriber, status] of Object.entries(row.subscribers ?? {})) {
      await env.db.rows(
        `insert into event_subscribers (event_row_id, subscriber, status, attempts, last_error)
         values ($1, $2, $3, $4, $5)`,
        [
          rowId,
          subscriber,
          status,
          status === 'pending' ? 0 : 1,
          status === 'processed' ? null : 'Error: handler threw',
        ],
      );
    }
    ids.push(rowId);
  }
  return ids;
}

/** An event as the ingress hands it to the inbox, under a fresh event ID and body digest. */
export function eventToStore(overrides: Partial<EventToStore> = {}): EventToStore {
  return {
    source: 'payments',
    eventId: `evt_${randomBytes(6).toString('hex')}`,
    eventType: 'payment.succeeded',
    body: '{"ok":true}',
    headers: '{}',
    bodySha256: randomBytes(32).toString('hex'),
    ...overrides,
  };
}

export interface StoredRow {
  readonly source?: string;
  readonly eventId: string;
  readonly eventType?: string;
  readonly body: string;
  /** Its source's ordering, which gives the row its key and value as the ingress would. */
  readonly ordering?: OrderingSpec;
}

/**
 * Stores a row through the inbox's own statement, without an ingress or a queue (nothing is
 * queued); resolves with the new row or the duplicate it is, and throws for anything else.
 */
export async function storeRow(
  env: Pick<TestEnvironment, 'db'>,
  { source = 'payments', eventId, eventType = 'payment.succeeded', body, ordering }: StoredRow,
): Promise<Extract<StoreOutcome, { rowId: number }>> {
  const order = ordering && orderingOf(ordering, JSON.parse(body));
  const stored = await storeEvent(env.db, {
    source,
    eventId,
    eventType,
    body,
    headers: JSON.stringify({ 'content-type': 'application/json' }),
    bodySha256: hash('sha256', body, 'hex'),
    orderingKey: order?.key,
    orderingValue: order?.value,
  });
  if (stored.kind === 'unstorable' || stored.kind === 'retained') {
    throw new Error(`${eventId} not stored: ${stored.kind}`);
  }
  return stored;
}

/**
 * A delivery as a worker receives it, with no ingress: the row stored, then queued the one way
 * rows are, with `retry` as its source's policy. Resolves with the row ID.
 */
export async function storeAndQueue(
  env: Pick<TestEnvironment, 'db' | 'queue'>,
  row: StoredRow,
  retry: RetryPolicy,
): Promise<number> {
  const source = row.source ?? 'payments';
  const { rowId } = await storeRow(env, row);
  const retryPolicies = new Map([[source, retry]]);
  await queueRows({ db: env.db, queue: env.queue, retryPolicies }, [{ rowId, source }]);
  return rowId;
}

export interface SeedAttempt {
  /** Undefined: no answer came (a timeout, a refused connection). */
  readonly statusCode?: number;
  readonly latencyMs?: number;
  readonly response?: string;
  readonly error?: string;
  /** The ledger status the attempt led to. */
  readonly outcome: Exclude<DeliveryStatus, 'pending'>;
  /** Seconds before now. */
  readonly secondsAgo?: number;
}

export interface SeedDelivery {
  readonly source?: string;
  readonly destination: string;
  /** Each recorded in turn, as the runner records them; none leaves the delivery pending. */
  readonly attempts?: readonly SeedAttempt[];
  /** For a delivery left `failed`: when the runner plans its next try. */
  readonly nextAttemptAt?: Date;
}

/**
 * A delivery of the event at `rowId`, its attempts recorded through the ledger's own statement
 * (an attempt that led to `disabled` disables the destination, as a 410 does).
 */
export async function seedDelivery(
  env: Pick<TestEnvironment, 'db'>,
  rowId: number,
  { source = 'payments', destination, attempts = [], nextAttemptAt }: SeedDelivery,
): Promise<void> {
  await env.db.rows(
    'insert into event_deliveries (event_row_id, destination, queued_at) values ($1, $2, now())',
    [rowId, destination],
  );
  for (const [index, attempt] of attempts.entries()) {
    const last = index === attempts.length - 1;
    await recordDelivery(
      env.db,
      { rowId, destination },
      {
        status: attempt.outcome,
        attempt: {
          at: new Date(Date.now() - (attempt.secondsAgo ?? 0) * 1000),
          statusCode: attempt.statusCode,
          latencyMs: attempt.latencyMs ?? 12,
          responseSnippet: attempt.response ?? '',
          error: attempt.error,
        },
        ...(attempt.outcome === 'disabled'
          ? { disable: { source, reason: 'answered 410 Gone' } }
          : {}),
        ...(last && nextAttemptAt ? { nextAttemptAt } : {}),
      },
    );
  }
}

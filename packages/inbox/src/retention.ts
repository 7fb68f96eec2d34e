import type { DbClient } from '@webhook-inbox/db';
import type pg from 'pg';
import { withSessionLock } from './session-lock.ts';
import { FINISHED } from './status.ts';

/** delete: rows past the retention period go; tombstone: payload and headers of younger ones. */
export type RetentionStep = 'delete' | 'tombstone';

export interface RetentionPolicy {
  /** Days after which a finished event keeps only its tombstone (no payload, no headers). */
  readonly payloadDays: number;
  /**
   * Days after which a finished event's row is deleted. Its dedupe key goes with it only for the
   * sources named in `timestampedSources`; every other source keeps it in retained_event_keys.
   */
  readonly deleteDays: number;
  /**
   * Sources whose signature covers a timestamp checked on receipt: a replay older than the
   * tolerance is refused anyway, so their keys may go. Any other source (unknown ones too)
   * keeps its keys for good, since without a timestamp the key is the only replay defence.
   */
  readonly timestampedSources?: readonly string[];
  /** Rows per statement: each statement is its own short transaction. */
  readonly batchSize?: number;
  /** The clock retention measures ages against; tests move it forward. */
  readonly now?: Date;
}

export type RetentionCounts = Readonly<Record<RetentionStep, number>>;

export type RetentionRun =
  | { readonly kind: 'ran'; readonly pruned: RetentionCounts }
  /** Another process is running retention; this run did nothing. */
  | { readonly kind: 'busy' };

// One run at a time across every worker and the CLI; the others skip their turn.
const RETENTION_LOCK_KEY = 0x77_69_72_74; // "wirt"
const DEFAULT_BATCH_SIZE = 1_000;

// Only processed and ignored events: received and failed ones still have work to do, and dead
// ones wait for an operator (replay, or pruning by hand). Rows locked by a worker or a replay
// are skipped, and each batch commits on its own, so the ingress never waits on retention.
const DELETE_BATCH = `
  with batch as (
    select id from webhook_events
    where status = any($1::event_status[]) and received_at < $2::timestamptz - make_interval(days => $3)
    limit $4
    for update skip locked
  ),
  deleted as (
    delete from webhook_events e using batch where e.id = batch.id
    returning e.source, e.event_id, e.signed_content_sha256
  ),
  kept as (
    insert into retained_event_keys (source, event_id, signed_content_sha256)
    select source, event_id, signed_content_sha256 from deleted where source <> all($5::text[])
    on conflict do nothing
  )
  select count(*)::int as rows from deleted`;

const TOMBSTONE_BATCH = `
  with batch as (
    select id from webhook_events
    where status = any($1::event_status[]) and pruned_at is null
      and received_at < $2::timestamptz - make_interval(days => $3)
    limit $4
    for update skip locked
  ),
  updated as (
    update webhook_events e set payload = null, headers = null, pruned_at = $2::timestamptz
    from batch where e.id = batch.id
    returning 1
  )
  select count(*)::int as rows from updated`;

const COUNT_PRUNABLE = `
  select
    (select count(*) from webhook_events
      where status = any($1::event_status[]) and received_at < $2::timestamptz - make_interval(days => $4))::int
      as delete,
    (select count(*) from webhook_events
      where status = any($1::event_status[]) and pruned_at is null
        and received_at < $2::timestamptz - make_interval(days => $3)
        and received_at >= $2::timestamptz - make_interval(days => $4))::int
      as tombstone`;

const STEPS: readonly { step: RetentionStep; statement: string; days: keyof RetentionPolicy }[] = [
  // Deleting first spares rows about to go the work of being tombstoned.
  { step: 'delete', statement: DELETE_BATCH, days: 'deleteDays' },
  { step: 'tombstone', statement: TOMBSTONE_BATCH, days: 'payloadDays' },
];

/** What a run would change now, by step; changes nothing. */
export async function countPrunable(
  db: DbClient,
  policy: RetentionPolicy,
): Promise<RetentionCounts> {
  const now = policy.now ?? new Date();
  const [row] = await db.query<{ delete: number; tombstone: number }>(COUNT_PRUNABLE, [
    FINISHED,
    now,
    policy.payloadDays,
    policy.deleteDays,
  ]);
  return { delete: row?.delete ?? 0, tombstone: row?.tombstone ?? 0 };
}

async function runSteps(
  client: pg.PoolClient,
  policy: RetentionPolicy,
  onBatch: (step: RetentionStep, rows: number) => void,
): Promise<RetentionCounts> {
  const now = policy.now ?? new Date();
  const batchSize = policy.batchSize ?? DEFAULT_BATCH_SIZE;
  const pruned = { delete: 0, tombstone: 0 };
  for (const { step, statement, days } of STEPS) {
    for (;;) {
      const values: unknown[] = [FINISHED, now, policy[days], batchSize];
      if (step === 'delete') values.push(policy.timestampedSources ?? []);
      const result = await client.query<{ rows: number }>(statement, values);
      const rows = result.rows[0]?.rows ?? 0;
      pruned[step] += rows;
      if (rows > 0) onBatch(step, rows);
      if (rows < batchSize) break;
    }
  }
  return pruned;
}

/**
 * Runs both steps to the end, batch by batch, while holding the retention lock; `onBatch` hears
 * of every batch (metrics, a progress bar).
 */
export async function runRetention(
  db: DbClient,
  policy: RetentionPolicy,
  onBatch: (step: RetentionStep, rows: number) => void = () => {},
): Promise<RetentionRun> {
  if (policy.deleteDays < policy.payloadDays) {
    throw new Error('retention: rows may not be deleted before their payload is dropped');
  }
  const pruned = await withSessionLock(db.pool, RETENTION_LOCK_KEY, (client) =>
    runSteps(client, policy, onBatch),
  );
  return pruned ? { kind: 'ran', pruned } : { kind: 'busy' };
}

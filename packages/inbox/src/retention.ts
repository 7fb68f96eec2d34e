import type { Database } from '@webhook-inbox/db';
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
  /**
   * How long a run waits for transactions older than the keys it kept (a worker's attempt lasts
   * at most its deadline) before it leaves those rows to the next run.
   */
  readonly olderTransactionsWaitMs?: number;
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
const DEFAULT_OLDER_TRANSACTIONS_WAIT_MS = 120_000;
const OLDER_TRANSACTIONS_POLL_MS = 200;

// Only processed and ignored events: received and failed ones still have work to do, and dead
// ones wait for an operator (replay, or pruning by hand). Rows locked by a worker or a replay
// are skipped, and each batch commits on its own, so the ingress never waits on retention.
//
// A source without a signed timestamp keeps its events' keys (retained_event_keys), committed
// *before* their rows go, and the rows go only once no transaction that began before that
// commit is left (see `waitForOlderTransactions`). Deleting both in one transaction let a replay
// through: an insert waiting on the row being deleted goes ahead once the delete commits, and
// its statement's snapshot, older than the commit, does not see the kept key.
const KEEP_BATCH = `
  with batch as (
    select e.source, e.event_id, e.signed_content_sha256 from webhook_events e
    where e.status = any($1::event_status[])
      and e.received_at < $2::timestamptz - make_interval(days => $3)
      and e.source <> all($5::text[])
      and not exists (
        select 1 from retained_event_keys k where k.source = e.source and k.event_id = e.event_id)
      and not exists (
        select 1 from retained_event_keys k
        where k.source = e.source and k.signed_content_sha256 = e.signed_content_sha256)
    limit $4
  ),
  kept as (
    insert into retained_event_keys (source, event_id, signed_content_sha256)
    select source, event_id, signed_content_sha256 from batch
    on conflict do nothing
    returning 1
  )
  select count(*)::int as rows from batch`;

// $6: whether kept keys may be relied on, i.e. every transaction older than them has ended.
const DELETE_BATCH = `
  with batch as (
    select e.id from webhook_events e
    where e.status = any($1::event_status[])
      and e.received_at < $2::timestamptz - make_interval(days => $3)
      and (e.source = any($5::text[]) or ($6::boolean and exists (
        select 1 from retained_event_keys k where k.source = e.source and k.event_id = e.event_id)))
    limit $4
    for update skip locked
  ),
  deleted as (
    delete from webhook_events e using batch where e.id = batch.id
    returning 1
  )
  select count(*)::int as rows from deleted`;

// Client sessions of this database in a transaction that began before `$1`: their snapshots may
// predate the keys kept just now.
const OLDER_TRANSACTIONS = `
  select count(*)::int as open from pg_stat_activity
  where datname = current_database() and pid <> pg_backend_pid()
    and backend_type = 'client backend' and xact_start < $1::timestamptz`;

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

/** What a run would change now, by step; changes nothing. */
export async function countPrunable(
  db: Database,
  policy: RetentionPolicy,
): Promise<RetentionCounts> {
  const now = policy.now ?? new Date();
  const [row] = await db.rows<{ delete: number; tombstone: number }>(COUNT_PRUNABLE, [
    FINISHED,
    now,
    policy.payloadDays,
    policy.deleteDays,
  ]);
  return { delete: row?.delete ?? 0, tombstone: row?.tombstone ?? 0 };
}

/** Runs `statement` batch by batch until a batch comes back short; the rows of them all. */
async function inBatches(
  client: pg.PoolClient,
  statement: string,
  values: readonly unknown[],
  batchSize: number,
  onBatch: (rows: number) => void = () => {},
): Promise<number> {
  let total = 0;
  for (;;) {
    const result = await client.query<{ rows: number }>(statement, [...values]);
    const rows = result.rows[0]?.rows ?? 0;
    total += rows;
    if (rows > 0) onBatch(rows);
    if (rows < batchSize) return total;
  }
}

/**
 * Waits until no other session of this database is in a transaction that began before now, so
 * every statement still to run takes its snapshot after the keys just kept. False if one is
 * still open after `limitMs` (an operator's forgotten session): the rows then wait for a run.
 */
async function waitForOlderTransactions(client: pg.PoolClient, limitMs: number): Promise<boolean> {
  const { rows } = await client.query<{ since: Date }>('select clock_timestamp() as since');
  const deadline = Date.now() + limitMs;
  for (;;) {
    const result = await client.query<{ open: number }>(OLDER_TRANSACTIONS, [rows[0]?.since]);
    if (result.rows[0]?.open === 0) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, OLDER_TRANSACTIONS_POLL_MS));
  }
}

async function runSteps(
  client: pg.PoolClient,
  policy: RetentionPolicy,
  onBatch: (step: RetentionStep, rows: number) => void,
): Promise<RetentionCounts> {
  const now = policy.now ?? new Date();
  const batchSize = policy.batchSize ?? DEFAULT_BATCH_SIZE;
  const timestamped = policy.timestampedSources ?? [];
  await inBatches(
    client,
    KEEP_BATCH,
    [FINISHED, now, policy.deleteDays, batchSize, timestamped],
    batchSize,
  );
  const keysVisible = await waitForOlderTransactions(
    client,
    policy.olderTransactionsWaitMs ?? DEFAULT_OLDER_TRANSACTIONS_WAIT_MS,
  );
  // Deleting first spares rows about to go the work of being tombstoned.
  const deleted = await inBatches(
    client,
    DELETE_BATCH,
    [FINISHED, now, policy.deleteDays, batchSize, timestamped, keysVisible],
    batchSize,
    (rows) => onBatch('delete', rows),
  );
  const tombstoned = await inBatches(
    client,
    TOMBSTONE_BATCH,
    [FINISHED, now, policy.payloadDays, batchSize],
    batchSize,
    (rows) => onBatch('tombstone', rows),
  );
  return { delete: deleted, tombstone: tombstoned };
}

/**
 * Runs both steps to the end, batch by batch, while holding the retention lock; `onBatch` hears
 * of every batch (metrics, a progress bar).
 */
export async function runRetention(
  db: Database,
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

import type pg from 'pg';
import { FINISHED, HOLDS_ITS_KEY } from './status.ts';

const literals = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');
const HOLDING = literals(HOLDS_ITS_KEY);

// A key's events run in (value, ID) order; an event without a value sorts first, so the order
// is total and two events can never each wait for the other.
const sortKey = (row: string) =>
  `(coalesce(${row}.ordering_value, '-Infinity'::numeric), ${row}.id)`;

/** The first event of the row's key that must finish before it; null when none. */
const waitsForOf = (row: string) =>
  `(select p.id from webhook_events p
     where p.source = ${row}.source and p.ordering_key = ${row}.ordering_key
       and p.status in (${HOLDING}) and ${sortKey('p')} < ${sortKey(row)}
     order by ${sortKey('p')} limit 1)`;

/**
 * Per ordered row of a group whose key the claim locked: what it waits for, and the last value
 * applied for its key, which an older event is stale against. A statement after the claim's,
 * so its snapshot sees every commit of the key's previous holder.
 */
const CHECK_ORDER = {
  name: 'inbox_check_order',
  text: `select w.id, ${waitsForOf('w')} as waits_for,
           (select max(a.ordering_value) from webhook_events a
             where a.source = w.source and a.ordering_key = w.ordering_key
               and a.status = 'processed') as previous
         from webhook_events w where w.id = any($1::bigint[])`,
};

/** Takes the key's lock for the rest of the transaction; false when another transaction has it. */
const tryKeyLock = (source: string, key: string) =>
  `pg_try_advisory_xact_lock(hashtextextended(${source} || E'\\n' || ${key}, 0))`;

const ORDERED_UNFINISHED = `w.ordering_key is not null and w.status not in (${literals(FINISHED)})`;

/**
 * What the claim adds for an unfinished ordered row (nothing is evaluated for the others): what
 * it waits for as the claim's snapshot sees it, and, when that is nothing, its key's lock taken
 * for the rest of the transaction: a key whose lock another transaction holds is running there,
 * so the row must wait. Only a row that may be its key's head takes the lock, so the events
 * behind it never hold it up. Transaction-scoped, so a worker killed mid-group frees its keys
 * with its connection; a hash collision only makes two keys wait for each other now and then.
 */
export const ORDER_COLUMNS = `
  case when ${ORDERED_UNFINISHED} then ${waitsForOf('w')} end as waits_for,
  case when ${ORDERED_UNFINISHED} and ${waitsForOf('w')} is null
    then ${tryKeyLock('w.source', 'w.ordering_key')} end as key_locked`;

export interface OrderCheck {
  /** An earlier event of the key that has not finished: this one must wait for it. */
  readonly waitsFor: number | null;
  /** The largest value applied (processed) for the key; null when none has one. */
  readonly previous: number | null;
}

/** CHECK_ORDER for the ordered rows of a group whose keys it holds. */
export async function checkOrder(
  client: pg.ClientBase,
  rowIds: readonly number[],
): Promise<Map<number, OrderCheck>> {
  const { rows } = await client.query<{
    id: string;
    waits_for: string | null;
    previous: string | null;
  }>({ ...CHECK_ORDER, values: [rowIds] });
  return new Map(
    rows.map((row) => [
      Number(row.id),
      {
        waitsFor: row.waits_for === null ? null : Number(row.waits_for),
        previous: row.previous === null ? null : Number(row.previous),
      },
    ]),
  );
}

/** A source and one of its ordering keys. */
export interface OrderingKey {
  readonly source: string;
  readonly key: string;
}

const NEXT_IN_KEYS = {
  name: 'inbox_next_in_keys',
  text: `select distinct on (w.source, w.ordering_key) w.id, w.source, w.status
         from webhook_events w
         join unnest($1::text[], $2::text[]) as k(source, key)
           on w.source = k.source and w.ordering_key = k.key
         where w.status in (${HOLDING})
         order by w.source, w.ordering_key, ${sortKey('w')}`,
};

/** The event at the head of each key now (the next to run), if the key has one waiting. */
export async function nextInKeys(
  pool: pg.Pool | pg.ClientBase,
  keys: readonly OrderingKey[],
): Promise<{ rowId: number; source: string; status: string }[]> {
  if (keys.length === 0) return [];
  const { rows } = await pool.query<{ id: string; source: string; status: string }>({
    ...NEXT_IN_KEYS,
    values: [keys.map((k) => k.source), keys.map((k) => k.key)],
  });
  return rows.map((row) => ({ rowId: Number(row.id), source: row.source, status: row.status }));
}

const HEAD_OF_KEY = {
  name: 'inbox_head_of_key',
  text: `select (select w.id from webhook_events w
                  where w.source = $1 and w.ordering_key = $2 and w.status in (${HOLDING})
                  order by ${sortKey('w')} limit 1) as head,
                ${tryKeyLock('$1::text', '$2::text')} as free`,
};

/**
 * The event at the head of a key now, and whether the key's lock is free (taken and let go by
 * this statement alone, as it runs in a transaction of its own): a head whose key is free may
 * run at once.
 */
export async function headOfKey(
  pool: pg.Pool,
  { source, key }: OrderingKey,
): Promise<{ rowId: number | null; free: boolean }> {
  const { rows } = await pool.query<{ head: string | null; free: boolean }>({
    ...HEAD_OF_KEY,
    values: [source, key],
  });
  const [row] = rows;
  return { rowId: row?.head == null ? null : Number(row.head), free: row?.free === true };
}

/** A key held by an event that failed: the events after it wait until it succeeds or is skipped. */
export interface BlockedKey extends OrderingKey {
  /** The row at the head of the key, holding it. */
  readonly blockingRowId: number;
  readonly blockingEventId: string;
  readonly status: 'failed' | 'dead';
  readonly lastError: string | null;
  /** Events of the key behind it. */
  readonly waiting: number;
}

/**
 * The head of every key that has one, as `h` (with how many wait behind it), keeping the heads
 * that failed or are dead. Shared with the gauges, so the console and the metric count alike.
 */
export const BLOCKED_HEADS = `
  (select distinct on (w.source, w.ordering_key) w.id, w.source, w.ordering_key,
     w.event_id, w.status, w.last_error,
     count(*) over (partition by w.source, w.ordering_key) - 1 as waiting
   from webhook_events w
   where w.ordering_key is not null and w.status in (${HOLDING})
   order by w.source, w.ordering_key, ${sortKey('w')}) h
  where h.status in ('failed', 'dead')`;

const BLOCKED_KEYS = {
  name: 'inbox_blocked_keys',
  text: `select h.source, h.ordering_key, h.id, h.event_id, h.status, h.last_error, h.waiting
         from ${BLOCKED_HEADS}
         order by h.id limit $1`,
};

/** The keys whose head event failed (retrying) or is dead, oldest head first. */
export async function blockedKeys(
  pool: pg.Pool | pg.ClientBase,
  limit = 100,
): Promise<BlockedKey[]> {
  const { rows } = await pool.query<{
    source: string;
    ordering_key: string;
    id: string;
    event_id: string;
    status: 'failed' | 'dead';
    last_error: string | null;
    waiting: string;
  }>({ ...BLOCKED_KEYS, values: [limit] });
  return rows.map((row) => ({
    source: row.source,
    key: row.ordering_key,
    blockingRowId: Number(row.id),
    blockingEventId: row.event_id,
    status: row.status,
    lastError: row.last_error,
    waiting: Number(row.waiting),
  }));
}

const KEY_BLOCKED_BY = {
  name: 'inbox_key_blocked_by',
  text: `select w.source, w.ordering_key,
           (select count(*) from webhook_events o
             where o.source = w.source and o.ordering_key = w.ordering_key
               and o.status in (${HOLDING}) and o.id <> w.id)::int as waiting
         from webhook_events w
         where w.id = $1 and w.ordering_key is not null and w.status in ('failed', 'dead')
           and ${waitsForOf('w')} is null`,
};

/** The key an event blocks (it failed or is dead at its key's head); null when it blocks none. */
export async function keyBlockedBy(
  pool: pg.Pool | pg.ClientBase,
  rowId: number,
): Promise<(OrderingKey & { readonly waiting: number }) | null> {
  const { rows } = await pool.query<{ source: string; ordering_key: string; waiting: number }>({
    ...KEY_BLOCKED_BY,
    values: [rowId],
  });
  const [row] = rows;
  return row ? { source: row.source, key: row.ordering_key, waiting: row.waiting } : null;
}

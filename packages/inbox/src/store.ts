import type { Database, EventStatus } from '@webhook-inbox/db';
import { isRefusedForContent } from './postgres-errors.ts';
import { isUnfinished } from './status.ts';
import { type RowFound, storeStatement } from './store-statement.ts';

/** A verified event as the ingress hands it over. */
export interface EventToStore {
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The body as JSON text, stored as jsonb without a second parse here. */
  readonly body: string;
  /** Request headers less every credential, as JSON text. */
  readonly headers: string;
  /**
   * What a later delivery under the same event ID is compared with: the SHA-256 (hex) of the raw
   * body as received, or of the body less the fields its provider re-stamps on every retry.
   */
  readonly bodySha256: string;
  /** Set when the event ID is not covered by the signature: the digest of what is. */
  readonly signedContentSha256?: string | undefined;
  /** The destinations it goes to (`destinationsFor`): their ledger rows are stored with it. */
  readonly destinations?: readonly string[] | undefined;
  /** Its source's ordering key for it (`orderingOf`); unset: it runs unordered. */
  readonly orderingKey?: string | undefined;
  /** The value it is ordered by within its key; null by arrival, or when the payload lacks it. */
  readonly orderingValue?: number | null | undefined;
}

/** Which unique key found the earlier delivery. */
export type DuplicateKey = 'event_id' | 'signed_content';

/** A duplicate by event ID whose body differs from the one stored: the sender changed the event. */
export interface BodyConflict {
  readonly storedSha256: string;
  readonly receivedSha256: string;
}

export type StoreOutcome =
  /** A new row: its job must be added. */
  | { readonly kind: 'inserted'; readonly rowId: number }
  | {
      readonly kind: 'duplicate';
      readonly rowId: number;
      readonly key: DuplicateKey;
      /** Whether its job may be missing and should be (re)added; adding it twice is a no-op. */
      readonly needsJob: boolean;
      readonly conflict?: BodyConflict;
    }
  /**
   * A duplicate of an event retention deleted, of a source without signed timestamps: only its
   * key is left (retained_event_keys), so there is nothing to run.
   */
  | { readonly kind: 'retained'; readonly key: DuplicateKey }
  /** Postgres refused this payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string };

/** The row an outcome names, as later deliveries of the same event compare with it. */
interface RowRef {
  readonly rowId: number;
  /** The body digest stored with it (null for rows stored before digests were kept). */
  readonly storedSha256: string | null;
  readonly needsJob: boolean;
}

interface Resolved {
  readonly outcome: StoreOutcome;
  /** Absent when nothing was stored. */
  readonly row?: RowRef;
}

const keyOf = (source: string, value: string) => `${source}\n${value}`;

function duplicateOf(row: RowRef, key: DuplicateKey, event: EventToStore): Resolved {
  const { rowId, storedSha256, needsJob } = row;
  const conflicting =
    key === 'event_id' && storedSha256 !== null && storedSha256 !== event.bodySha256;
  const conflict = conflicting ? { storedSha256, receivedSha256: event.bodySha256 } : undefined;
  return {
    outcome: { kind: 'duplicate', rowId, key, needsJob, ...(conflict && { conflict }) },
    row,
  };
}

/** A row of webhook_events (not a retained key). */
type FoundRow = RowFound & { id: string; status: EventStatus };

const refOf = (row: FoundRow): RowRef => ({
  rowId: Number(row.id),
  storedSha256: row.body_sha256,
  needsJob: isUnfinished(row.status),
});

const isRetained = (row: RowFound) => row.id === null || row.status === null;

/**
 * Stores events that share neither key. An entry is undefined when its conflicting row was
 * committed after this statement's snapshot: a new statement will see it.
 */
async function insertOrFind(
  db: Database,
  events: readonly EventToStore[],
): Promise<(Resolved | undefined)[]> {
  const { rows } = await db.pool.query<RowFound>(storeStatement(events));
  const inserted = new Map<string, RowFound>();
  const byEventId = new Map<string, RowFound>();
  const bySignedContent = new Map<string, RowFound>();
  const retained = new Set<string>();
  for (const row of rows) {
    if (isRetained(row)) {
      retained.add(keyOf(row.source, row.event_id));
      if (row.signed_content_sha256 !== null)
        retained.add(keyOf(row.source, row.signed_content_sha256));
      continue;
    }
    if (row.inserted) inserted.set(keyOf(row.source, row.event_id), row);
    else byEventId.set(keyOf(row.source, row.event_id), row);
    if (!row.inserted && row.signed_content_sha256 !== null)
      bySignedContent.set(keyOf(row.source, row.signed_content_sha256), row);
  }
  return events.map((event) => {
    const idKey = keyOf(event.source, event.eventId);
    const mine = inserted.get(idKey);
    if (mine) {
      const rowId = Number(mine.id);
      const row = { rowId, storedSha256: event.bodySha256, needsJob: true };
      return { outcome: { kind: 'inserted', rowId }, row };
    }
    const sameId = byEventId.get(idKey);
    if (sameId) return duplicateOf(refOf(sameId as FoundRow), 'event_id', event);
    const digest = event.signedContentSha256;
    const contentKey = digest && keyOf(event.source, digest);
    const sameContent = contentKey && bySignedContent.get(contentKey);
    if (sameContent) return duplicateOf(refOf(sameContent as FoundRow), 'signed_content', event);
    if (retained.has(idKey)) return { outcome: { kind: 'retained', key: 'event_id' } };
    if (contentKey && retained.has(contentKey))
      return { outcome: { kind: 'retained', key: 'signed_content' } };
    return undefined;
  });
}

/**
 * As insertOrFind; a payload Postgres refuses fails with its request (`requests[i]` names the
 * request of `events[i]`): the statement is then tried request by request, and a request whose
 * own statement is refused is unstorable whole, so no event of it is stored without the others.
 */
async function storeDistinct(
  db: Database,
  events: readonly EventToStore[],
  requests: readonly number[],
): Promise<(Resolved | undefined)[]> {
  try {
    return await insertOrFind(db, events);
  } catch (error) {
    if (!isRefusedForContent(error)) throw error;
    const byRequest = new Map<number, number[]>();
    requests.forEach((request, i) => {
      byRequest.set(request, [...(byRequest.get(request) ?? []), i]);
    });
    if (byRequest.size === 1) {
      return events.map(() => ({ outcome: { kind: 'unstorable', detail: error.message } }));
    }
    const results: (Resolved | undefined)[] = new Array(events.length);
    for (const indexes of byRequest.values()) {
      const own = await storeDistinct(
        db,
        indexes.map((i) => events[i] as EventToStore),
        indexes.map((i) => requests[i] as number),
      );
      indexes.forEach((i, k) => {
        results[i] = own[k];
      });
    }
    return results;
  }
}

interface Follower {
  readonly index: number;
  readonly leader: number;
  readonly key: DuplicateKey;
}

/** Splits a batch into the first delivery of each event and the later ones in the same batch. */
function splitRepeats(events: readonly EventToStore[], indexes: readonly number[]) {
  const leaders: number[] = [];
  const followers: Follower[] = [];
  const byEventId = new Map<string, number>();
  const bySignedContent = new Map<string, number>();
  for (const index of indexes) {
    const event = events[index] as EventToStore;
    const idKey = keyOf(event.source, event.eventId);
    const digest = event.signedContentSha256;
    const contentKey = digest === undefined ? undefined : keyOf(event.source, digest);
    const sameId = byEventId.get(idKey);
    const sameContent = contentKey === undefined ? undefined : bySignedContent.get(contentKey);
    if (sameId !== undefined) followers.push({ index, leader: sameId, key: 'event_id' });
    else if (sameContent !== undefined)
      followers.push({ index, leader: sameContent, key: 'signed_content' });
    else {
      leaders.push(index);
      byEventId.set(idKey, index);
      if (contentKey !== undefined) bySignedContent.set(contentKey, index);
    }
  }
  return { leaders, followers };
}

/** Rounds before giving up on rows that keep being committed by others just after our snapshot. */
const MAX_ROUNDS = 5;

/**
 * Commits a batch of events in one statement (in the common case), or finds the rows earlier
 * deliveries committed; the outcomes are in the order given. Deliveries of one event in the same
 * batch resolve as if sent one after the other: the first stores it, the rest are duplicates.
 * A payload Postgres refuses fails with the other events of its request, none of them stored:
 * `requests[i]` names the request `events[i]` came in (by default each event is its own). Throws
 * only when Postgres itself fails: then nothing may be acked.
 */
export async function storeEvents(
  db: Database,
  events: readonly EventToStore[],
  requests: readonly number[] = events.map((_, index) => index),
): Promise<StoreOutcome[]> {
  const resolved: (Resolved | undefined)[] = new Array(events.length);
  let todo = events.map((_, index) => index);
  for (let round = 0; todo.length > 0; round++) {
    if (round === MAX_ROUNDS)
      throw new Error('event rows kept vanishing between insert and select');
    const { leaders, followers } = splitRepeats(events, todo);
    const results = await storeDistinct(
      db,
      leaders.map((index) => events[index] as EventToStore),
      leaders.map((index) => requests[index] as number),
    );
    const next: number[] = [];
    leaders.forEach((index, i) => {
      resolved[index] = results[i];
      if (!results[i]) next.push(index);
    });
    for (const { index, leader, key } of followers) {
      const first = resolved[leader];
      // A repeat within the refused request goes with it, not stored alone in the next round.
      if (first?.outcome.kind === 'unstorable' && requests[index] === requests[leader]) {
        resolved[index] = first;
        continue;
      }
      resolved[index] = first?.row && duplicateOf(first.row, key, events[index] as EventToStore);
      if (!resolved[index]) next.push(index);
    }
    todo = next.sort((a, b) => a - b);
  }
  return resolved.map((entry) => (entry as Resolved).outcome);
}

/** One event; see storeEvents. */
export async function storeEvent(db: Database, event: EventToStore): Promise<StoreOutcome> {
  const [outcome] = await storeEvents(db, [event]);
  return outcome as StoreOutcome;
}

/**
 * Whether the inbox table can be read now: a lock on it (or a server too busy to plan a query)
 * makes this wait like a store would. Callers bound it with their deadline.
 */
export async function inboxAnswers(db: Database): Promise<void> {
  await db.pool.query({ name: 'inbox-probe', text: 'select 1 from webhook_events limit 0' });
}

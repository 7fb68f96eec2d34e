import type { DbClient, EventStatus } from '@webhook-inbox/db';
import { isUnfinished } from './status.ts';

/** A verified event as the ingress hands it over. */
export interface EventToStore {
  readonly source: string;
  readonly eventId: string;
  readonly eventType: string;
  /** The body as JSON text, stored as jsonb without a second parse here. */
  readonly body: string;
  /** Request headers less every credential, as JSON text. */
  readonly headers: string;
  /** Set when the event ID is not covered by the signature: the digest of what is. */
  readonly signedContentSha256?: string | undefined;
}

export type StoreOutcome =
  | {
      readonly kind: 'stored';
      readonly rowId: number;
      /** False when an earlier delivery (same event ID, or same signed content) stored it. */
      readonly inserted: boolean;
      /** Whether its job may be missing and should be (re)added; adding it twice is a no-op. */
      readonly needsJob: boolean;
    }
  /** Postgres refused the payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string };

interface StoredRow {
  id: string;
  status: EventStatus;
  inserted: boolean;
}

// One round trip: insert, or find the row a previous delivery stored. A conflict on either
// unique key (the event ID, or the signed content when the ID is unsigned) is a duplicate; the
// row with the same event ID is the one to answer with.
const findStored = (digestParameter: string) => `
  select id, status, false as inserted from webhook_events
  where source = $1 and (event_id = $2 or signed_content_sha256 = ${digestParameter})
  order by event_id = $2 desc
  limit 1`;

const INSERT_OR_FIND = `
  with inserted as (
    insert into webhook_events
      (source, event_id, event_type, payload, headers, signed_content_sha256)
    values ($1, $2, $3, $4::jsonb, $5::jsonb, $6)
    on conflict do nothing
    returning id, status
  )
  select id, status, true as inserted from inserted
  union all
  select * from (${findStored('$6')}) stored where not exists (select 1 from inserted)`;

const FIND = findStored('$3');

async function insertOrFind(db: DbClient, event: EventToStore): Promise<StoredRow> {
  const digest = event.signedContentSha256 ?? null;
  const values = [event.source, event.eventId, event.eventType, event.body, event.headers, digest];
  const [row] = await db.query<StoredRow>(INSERT_OR_FIND, values);
  if (row) return row;
  // A concurrent insert committed after this statement's snapshot was taken: look again.
  const [found] = await db.query<StoredRow>(FIND, [event.source, event.eventId, digest]);
  if (!found) throw new Error('event row vanished between insert and select');
  return found;
}

/** Postgres class 22 (data exception): the payload, not the database, is at fault. */
function isDataException(error: unknown): error is Error {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * Commits the event, or finds the row an earlier delivery committed. Throws only when Postgres
 * itself fails: then nothing was committed and nothing may be acked.
 */
export async function storeEvent(db: DbClient, event: EventToStore): Promise<StoreOutcome> {
  try {
    const row = await insertOrFind(db, event);
    return {
      kind: 'stored',
      rowId: Number(row.id),
      inserted: row.inserted,
      needsJob: isUnfinished(row.status),
    };
  } catch (error) {
    if (isDataException(error)) return { kind: 'unstorable', detail: error.message };
    throw error;
  }
}

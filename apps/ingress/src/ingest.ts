import type { Source } from '@webhook-inbox/config';
import type { DbClient, EventStatus } from '@webhook-inbox/db';
import { enqueueEventsPromptly, type WebhookQueue } from '@webhook-inbox/queue';
import type { VerifiedEvent } from '@webhook-inbox/verify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly rowId: number; readonly duplicate: boolean }
  /** Postgres refused the payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string }
  /** Postgres unreachable or failing: nothing was committed, so nothing may be acked. */
  | { readonly kind: 'unavailable' };

export interface IngestDeps {
  readonly db: DbClient;
  readonly queue: WebhookQueue;
  /** The queue's connection, to tell at once whether Redis is there at all. */
  readonly redis: Redis;
  readonly log: Logger;
}

/** How long a request may wait on Redis before it is acked without its job. */
const ENQUEUE_TIMEOUT_MS = 1_000;

interface StoredRow {
  id: string;
  status: EventStatus;
  inserted: boolean;
}

/** Statuses whose event may still lack a job; re-adding an existing job is a no-op. */
const NEEDS_JOB: ReadonlySet<EventStatus> = new Set(['received', 'failed']);

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

async function insertOrFind(
  db: DbClient,
  source: string,
  event: VerifiedEvent,
  headers: string,
): Promise<StoredRow> {
  const digest = event.signedContentSha256 ?? null;
  const values = [source, event.eventId, event.eventType, event.body, headers, digest];
  const [row] = await db.query<StoredRow>(INSERT_OR_FIND, values);
  if (row) return row;
  // A concurrent insert committed after this statement's snapshot was taken: look again.
  const [found] = await db.query<StoredRow>(FIND, [source, event.eventId, digest]);
  if (!found) throw new Error('event row vanished between insert and select');
  return found;
}

/** Postgres class 22 (data exception): the payload, not the database, is at fault. */
function isDataException(error: unknown): error is Error {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22');
}

/**
 * Commits the event, then queues it. The row is the promise to the provider: once it is
 * committed the event will be processed, so a queue failure is logged, not surfaced; the
 * relay in the workers queues whatever the ingress could not.
 */
export async function ingest(
  deps: IngestDeps,
  source: Source,
  event: VerifiedEvent,
  headers: Record<string, string>,
): Promise<IngestOutcome> {
  let row: StoredRow;
  try {
    row = await insertOrFind(deps.db, source.name, event, JSON.stringify(headers));
  } catch (error) {
    if (isDataException(error)) return { kind: 'unstorable', detail: error.message };
    deps.log.error({ err: error, source: source.name }, 'could not store event');
    return { kind: 'unavailable' };
  }

  const rowId = Number(row.id);
  if (NEEDS_JOB.has(row.status)) {
    try {
      const job = { rowId, source: source.name, retry: source.retry };
      await enqueueEventsPromptly(deps.queue, deps.redis, [job], ENQUEUE_TIMEOUT_MS);
    } catch (error) {
      deps.log.warn(
        { err: (error as Error).message, source: source.name, rowId },
        'event stored but not queued; the relay will queue it',
      );
    }
  }
  return { kind: 'accepted', rowId, duplicate: !row.inserted };
}

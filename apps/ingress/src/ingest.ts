import type { Source } from '@webhook-inbox/config';
import type { EventStatus } from '@webhook-inbox/db';
import { enqueueEventsPromptly, type WebhookQueue } from '@webhook-inbox/queue';
import type { VerifiedEvent } from '@webhook-inbox/verify';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type postgres from 'postgres';

export type IngestOutcome =
  | { readonly kind: 'accepted'; readonly rowId: number; readonly duplicate: boolean }
  /** Postgres refused the payload itself (e.g. a \u0000 escape jsonb cannot hold). */
  | { readonly kind: 'unstorable'; readonly detail: string }
  /** Postgres unreachable or failing: nothing was committed, so nothing may be acked. */
  | { readonly kind: 'unavailable' };

export interface IngestDeps {
  readonly sql: postgres.Sql;
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

async function insertOrFind(
  sql: postgres.Sql,
  source: string,
  event: VerifiedEvent,
  headers: string,
): Promise<StoredRow> {
  // Cast through text: postgres.js would otherwise store the body as a JSON *string*.
  const rows = await sql<StoredRow[]>`
    with inserted as (
      insert into webhook_events (source, event_id, event_type, payload, headers)
      values (${source}, ${event.eventId}, ${event.eventType},
              ${event.body}::text::jsonb, ${headers}::text::jsonb)
      on conflict (source, event_id) do nothing
      returning id, status
    )
    select id, status, true as inserted from inserted
    union all
    select id, status, false from webhook_events
    where source = ${source} and event_id = ${event.eventId}
      and not exists (select 1 from inserted)`;
  if (rows[0]) return rows[0];
  // A concurrent insert committed after this statement's snapshot was taken: look again.
  const [row] = await sql<StoredRow[]>`
    select id, status, false as inserted from webhook_events
    where source = ${source} and event_id = ${event.eventId}`;
  if (!row) throw new Error('event row vanished between insert and select');
  return row;
}

/** Postgres class 22 (data exception): the payload, not the database, is at fault. */
function isDataException(error: unknown): error is postgres.PostgresError {
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
    row = await insertOrFind(deps.sql, source.name, event, JSON.stringify(headers));
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

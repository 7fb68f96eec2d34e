import { DEFAULT_RETRY, type RetryPolicy } from '@webhook-inbox/config';
import { enqueueEvents, jobIdFor, type WebhookQueue } from '@webhook-inbox/queue';
import type postgres from 'postgres';

export interface ReplayDeps {
  readonly sql: postgres.Sql;
  readonly queue: WebhookQueue;
  readonly retryPolicies: ReadonlyMap<string, RetryPolicy>;
}

/** Which events to replay: inbox row IDs, or every dead event (of one source). */
export type ReplaySelector =
  | { readonly rowIds: readonly number[] }
  | { readonly source: string; readonly eventIds: readonly string[] }
  | { readonly allDead: true; readonly source?: string };

/**
 * Dead events (attempts exhausted) and ignored ones (no handler then; maybe one now). Never
 * processed events: replaying those would repeat their effects. Never failed ones: their
 * retries are still under way.
 */
const REPLAYABLE = ['dead', 'ignored'] as const;

type FoundRow = { id: string; source: string };

async function findReplayable(sql: postgres.Sql, selector: ReplaySelector): Promise<FoundRow[]> {
  const base = sql`status in ${sql(REPLAYABLE)}`;
  if ('rowIds' in selector) {
    if (selector.rowIds.length === 0) return [];
    return sql<FoundRow[]>`
      select id, source from webhook_events where ${base} and id in ${sql(selector.rowIds)}`;
  }
  if ('eventIds' in selector) {
    if (selector.eventIds.length === 0) return [];
    return sql<FoundRow[]>`
      select id, source from webhook_events
      where ${base} and source = ${selector.source} and event_id in ${sql(selector.eventIds)}`;
  }
  return selector.source === undefined
    ? sql<FoundRow[]>`
        select id, source from webhook_events where status = 'dead' order by id`
    : sql<FoundRow[]>`
        select id, source from webhook_events
        where status = 'dead' and source = ${selector.source} order by id`;
}

/**
 * Gives events a fresh start: their old job is removed (a kept failed or completed job would
 * make the new add a no-op), the row goes back to `received` with no attempts, and a job is
 * added. Should Redis fail after the row is reset, the relay queues it later.
 * Returns the row IDs replayed.
 */
export async function replayEvents(deps: ReplayDeps, selector: ReplaySelector): Promise<number[]> {
  const found = await findReplayable(deps.sql, selector);
  if (found.length === 0) return [];

  for (const row of found) await deps.queue.remove(jobIdFor(Number(row.id)));
  const reset = await deps.sql<FoundRow[]>`
    update webhook_events
    set status = 'received', attempts = 0, last_error = null, processed_at = null
    where id in ${deps.sql(found.map((row) => row.id))} and status in ${deps.sql(REPLAYABLE)}
    returning id, source`;
  await enqueueEvents(
    deps.queue,
    reset.map((row) => ({
      rowId: Number(row.id),
      source: row.source,
      retry: deps.retryPolicies.get(row.source) ?? DEFAULT_RETRY,
    })),
  );
  return reset.map((row) => Number(row.id)).sort((a, b) => a - b);
}

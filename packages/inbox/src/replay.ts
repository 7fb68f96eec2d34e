import { DEFAULT_RETRY, type RetryPolicy } from '@webhook-inbox/config';
import { type Database, webhookEvents } from '@webhook-inbox/db';
import { enqueueEvents, jobIdFor, type WebhookQueue } from '@webhook-inbox/queue';
import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import { markQueued } from './relay-scan.ts';
import { REPLAYABLE } from './status.ts';

export interface ReplayDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
  readonly retryPolicies: ReadonlyMap<string, RetryPolicy>;
}

/** Which events to replay: inbox row IDs, events of one source, or every dead event. */
export type ReplaySelector =
  | { readonly rowIds: readonly number[] }
  | { readonly source: string; readonly eventIds: readonly string[] }
  | { readonly allDead: true; readonly source?: string };

function condition(selector: ReplaySelector): SQL | undefined {
  if ('rowIds' in selector) {
    return and(
      inArray(webhookEvents.status, REPLAYABLE),
      inArray(webhookEvents.id, [...selector.rowIds]),
    );
  }
  if ('eventIds' in selector) {
    return and(
      inArray(webhookEvents.status, REPLAYABLE),
      eq(webhookEvents.source, selector.source),
      inArray(webhookEvents.eventId, [...selector.eventIds]),
    );
  }
  const dead = eq(webhookEvents.status, 'dead');
  return selector.source === undefined
    ? dead
    : and(dead, eq(webhookEvents.source, selector.source));
}

/**
 * Gives dead and ignored events a fresh start (never processed ones: replaying those would
 * repeat their effects; never failed ones: their retries are still under way): their old job is removed (a kept failed or completed job would
 * make the new add a no-op), the row goes back to `received` with no attempts, and a job is
 * added. Should Redis fail after the row is reset, its `queued_at` is still null and the relay
 * queues it later.
 * Returns the row IDs replayed, in order.
 */
export async function replayEvents(deps: ReplayDeps, selector: ReplaySelector): Promise<number[]> {
  const found = await deps.db
    .select({ id: webhookEvents.id })
    .from(webhookEvents)
    .where(condition(selector))
    .orderBy(asc(webhookEvents.id));
  if (found.length === 0) return [];

  for (const { id } of found) await deps.queue.remove(jobIdFor(id));
  const reset = await deps.db
    .update(webhookEvents)
    .set({ status: 'received', attempts: 0, lastError: null, processedAt: null, queuedAt: null })
    .where(
      and(
        inArray(
          webhookEvents.id,
          found.map((row) => row.id),
        ),
        inArray(webhookEvents.status, REPLAYABLE),
      ),
    )
    .returning({ id: webhookEvents.id, source: webhookEvents.source });
  await enqueueEvents(
    deps.queue,
    reset.map((row) => ({
      rowId: row.id,
      source: row.source,
      retry: deps.retryPolicies.get(row.source) ?? DEFAULT_RETRY,
    })),
  );
  await markQueued(
    deps.db,
    reset.map((row) => row.id),
  );
  return reset.map((row) => row.id).sort((a, b) => a - b);
}

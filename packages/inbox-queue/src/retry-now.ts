import type { Database, EventStatus } from '@webhook-inbox/db';
import { type Actor, getEvent, recordAction } from '@webhook-inbox/inbox';
import { jobIdFor, type WebhookQueue } from '@webhook-inbox/queue';

export type RetryNowOutcome =
  | { readonly kind: 'promoted'; readonly rowId: number }
  | { readonly kind: 'missing' }
  /** Only a `failed` event waits for a retry; dead and ignored ones are replayed instead. */
  | { readonly kind: 'not_failed'; readonly status: EventStatus }
  /** Its job is not waiting out a backoff (it is running, or already waiting for a worker). */
  | { readonly kind: 'not_delayed'; readonly jobState: string };

/**
 * Ends the backoff of a `failed` event's job: BullMQ moves the delayed job to the wait list, and
 * the next free worker runs it. The row is untouched; the worker's row lock still decides.
 */
export async function retryNow(
  deps: { readonly db: Database; readonly queue: WebhookQueue; readonly actor: Actor },
  rowId: number,
): Promise<RetryNowOutcome> {
  const row = await getEvent(deps.db, rowId);
  if (!row) return { kind: 'missing' };
  if (row.status !== 'failed') return { kind: 'not_failed', status: row.status };
  const job = await deps.queue.getJob(jobIdFor(rowId));
  if (!job) return { kind: 'not_delayed', jobState: 'missing' };
  const jobState = await job.getState();
  if (jobState !== 'delayed') return { kind: 'not_delayed', jobState };
  const promotedAt = new Date();
  try {
    await job.promote();
  } catch (error) {
    // The backoff ended (or a worker took it) between the look and the move.
    const now = await job.getState();
    if (now !== 'delayed') return { kind: 'not_delayed', jobState: now };
    throw error;
  }
  await recordAction(deps.db, [rowId], 'retry_now', deps.actor, promotedAt);
  return { kind: 'promoted', rowId };
}

import type { Database } from '@webhook-inbox/db';
import { type ClaimedEvent, headOfKey } from '@webhook-inbox/inbox';
import { JOB_OUTCOMES } from '@webhook-inbox/metrics';
import type { WebhookJobData } from '@webhook-inbox/queue';
import type { Job } from 'bullmq';
import type { Logger } from 'pino';

/**
 * A job not yet its key's turn looks again after `firstMs`, doubling each time up to `maxMs`:
 * the event before it starts it at once when it finishes, so these looks only bound a missed
 * start, or poll a key held by an event that keeps failing (or is dead until an operator acts).
 */
export interface OrderWait {
  readonly firstMs: number;
  readonly maxMs: number;
}

export const ORDER_WAIT_DEFAULTS: OrderWait = { firstMs: 1_000, maxMs: 30_000 };

/** The times this job was started and sent back without an attempt spent (waits, stalls). */
function waitsSoFar(job: Job<WebhookJobData>): number {
  return Math.max(0, job.attemptsStarted - job.attemptsMade - 1);
}

function orderWaitMs(job: Job<WebhookJobData>, { firstMs, maxMs }: OrderWait): number {
  return Math.min(maxMs, firstMs * 2 ** Math.min(waitsSoFar(job), 20));
}

export interface WaitDeps {
  readonly db: Database;
  readonly log: Logger;
  readonly orderWait?: OrderWait | undefined;
}

/**
 * Sends a job whose key is not its turn back to wait, spending no attempt. The event before it
 * starts it when it finishes, but may have looked while this job was still running and so not
 * found it waiting: hence one look after the move, and a job that is by then its key's head,
 * with the key's lock free, starts again at once. (A head whose lock is held is waiting for
 * a key whose lock hashes to the same number: it waits like any other.)
 */
export async function waitForTurn(
  deps: WaitDeps,
  job: Job<WebhookJobData>,
  token: string | undefined,
  event: ClaimedEvent,
  waitsFor: number | null,
): Promise<void> {
  const waitMs = orderWaitMs(job, deps.orderWait ?? ORDER_WAIT_DEFAULTS);
  await job.moveToDelayed(Date.now() + waitMs, token);
  const { log } = deps;
  if (log.isLevelEnabled('debug')) {
    const fields = { jobId: job.id, rowId: event.id, source: event.source, waitsFor, waitMs };
    log.debug({ ...fields, outcome: 'waiting' }, JOB_OUTCOMES.waiting.message);
  }
  if (!event.ordering) return;
  const head = await headOfKey(deps.db.pool, { source: event.source, key: event.ordering.key });
  // promote() refuses a job no longer delayed: something started it meanwhile.
  if (head.rowId === event.id && head.free) await job.promote().catch(() => undefined);
}

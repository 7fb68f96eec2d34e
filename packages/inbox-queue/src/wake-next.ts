import type { Database } from '@webhook-inbox/db';
import { nextInKeys, type OrderingKey } from '@webhook-inbox/inbox';
import { jobIdFor, type WebhookQueue } from '@webhook-inbox/queue';

export interface WakeDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
}

/**
 * Starts the job of the event now at the head of each key, if it is waiting out its look-again
 * delay. Best effort: a job that is running, missing or already waiting for a worker is left as
 * it is, since its own next look (or the relay, for a missing one) starts it anyway.
 */
export async function wakeNextInKeys(deps: WakeDeps, keys: readonly OrderingKey[]) {
  const heads = await nextInKeys(deps.db.pool, keys);
  let woken = 0;
  await Promise.all(
    heads
      .filter((head) => head.status !== 'dead')
      .map(async ({ rowId }) => {
        const job = await deps.queue.getJob(jobIdFor(rowId));
        // promote() refuses a job that is not delayed: then there is nothing to wake.
        if (
          job &&
          (await job.promote().then(
            () => true,
            () => false,
          ))
        )
          woken += 1;
      }),
  );
  return woken;
}

import type { WebhookQueue } from './queues.ts';
import { jobIdFor } from './webhook-job.ts';

/**
 * Removes the rows' jobs, if they exist. BullMQ has no bulk remove, so the removals go out
 * together and the batch waits about one round trip, not one per row.
 */
export async function removeJobs(queue: WebhookQueue, rowIds: readonly number[]): Promise<void> {
  await Promise.all(rowIds.map((rowId) => queue.remove(jobIdFor(rowId))));
}

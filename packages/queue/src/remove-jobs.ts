import { deliveryJobIdFor } from './delivery-job.ts';
import type { DeliveryQueue, WebhookQueue } from './queues.ts';
import { jobIdFor } from './webhook-job.ts';

/**
 * Removes the rows' jobs, if they exist. BullMQ has no bulk remove, so the removals go out
 * together and the batch waits about one round trip, not one per row.
 */
export async function removeJobs(queue: WebhookQueue, rowIds: readonly number[]): Promise<void> {
  await Promise.all(rowIds.map((rowId) => queue.remove(jobIdFor(rowId))));
}

/** The same for deliveries' jobs: a kept finished job would make adding it again a no-op. */
export async function removeDeliveryJobs(
  queue: DeliveryQueue,
  keys: readonly { readonly rowId: number; readonly destination: string }[],
): Promise<void> {
  await Promise.all(keys.map((key) => queue.remove(deliveryJobIdFor(key.rowId, key.destination))));
}

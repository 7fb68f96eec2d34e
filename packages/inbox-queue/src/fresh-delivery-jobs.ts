import type { DeliveryKey } from '@webhook-inbox/inbox';
import { type DeliveryQueue, removeDeliveryJobs } from '@webhook-inbox/queue';

const keyOf = (key: DeliveryKey) => `${key.rowId}/${key.destination}`;

/**
 * Before ledger rows are reset, the finished jobs of the ones about to be reset (`expected`) are
 * removed, so that a Redis lost after the reset leaves the relay a job it can add. Any row reset
 * that was not expected (it finished between the look and the reset) has its job removed after.
 */
export function freshDeliveryJobs(queue: DeliveryQueue, expected: readonly DeliveryKey[]) {
  const removed = new Set(expected.map(keyOf));
  return {
    before: () => removeDeliveryJobs(queue, expected),
    after: (reset: readonly DeliveryKey[]) =>
      removeDeliveryJobs(
        queue,
        reset.filter((key) => !removed.has(keyOf(key))),
      ),
  };
}

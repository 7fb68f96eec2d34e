import type { Database, DeliveryStatus } from '@webhook-inbox/db';
import { type DeliveryKey, deliveryWork, resetDeliveryForReplay } from '@webhook-inbox/inbox';
import { type DeliveryQueue, removeDeliveryJobs } from '@webhook-inbox/queue';
import { queueDeliveries } from './queue-rows.ts';

export type RedeliverOutcome =
  | { readonly kind: 'redelivered' }
  | { readonly kind: 'missing' }
  | {
      readonly kind: 'not_redeliverable';
      readonly status: DeliveryStatus;
      readonly reason: string;
    };

function whyNot(status: DeliveryStatus, destinationDisabled: boolean): string | undefined {
  switch (status) {
    case 'delivered':
      return 'it was delivered: the destination has it';
    case 'pending':
    case 'failed':
      return 'it is still on its way (its next attempt is queued)';
    case 'disabled':
      return destinationDisabled
        ? 'its destination is disabled; enabling it sends this delivery again'
        : undefined;
    case 'dead':
      return undefined;
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/**
 * Sends one dead (or disabled, once its destination is enabled) delivery again with a fresh
 * start, whatever its event's status: an event processed long ago keeps its handlers' effects,
 * and only this destination gets it again, under the same `webhook-id`.
 */
export async function redeliver(
  deps: { readonly db: Database; readonly deliveryQueue: DeliveryQueue },
  key: DeliveryKey,
): Promise<RedeliverOutcome> {
  const work = await deliveryWork(deps.db, key);
  if (!work) return { kind: 'missing' };
  if (work.payload === null) {
    const reason = 'retention removed its payload; there is nothing left to send';
    return { kind: 'not_redeliverable', status: work.status, reason };
  }
  const reason = whyNot(work.status, work.destinationDisabled);
  if (reason) return { kind: 'not_redeliverable', status: work.status, reason };
  // Its finished job first: kept under the same ID, it would make adding the new one a no-op.
  await removeDeliveryJobs(deps.deliveryQueue, [key]);
  const reset = await resetDeliveryForReplay(deps.db, key);
  if (!reset) {
    // It changed between the look and the reset (another operator was quicker).
    const now = await deliveryWork(deps.db, key);
    const status = now?.status ?? work.status;
    return { kind: 'not_redeliverable', status, reason: `it is ${status} now` };
  }
  await queueDeliveries(deps, [reset]);
  return { kind: 'redelivered' };
}

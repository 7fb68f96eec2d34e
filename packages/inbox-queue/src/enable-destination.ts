import type { Database } from '@webhook-inbox/db';
import { disabledDeliveries, enableDestination } from '@webhook-inbox/inbox';
import type { DeliveryQueue } from '@webhook-inbox/queue';
import { freshDeliveryJobs } from './fresh-delivery-jobs.ts';
import { queueDeliveries } from './queue-rows.ts';

export type EnableOutcome =
  /** It was disabled; `resumed` deliveries that had ended `disabled` are queued again. */
  | { readonly kind: 'enabled'; readonly resumed: number }
  /** It was not disabled; any delivery still left `disabled` is queued again all the same. */
  | { readonly kind: 'not_disabled'; readonly resumed: number };

/**
 * Enables a destination a 410 disabled, for the CLI and the console: the ledger forgets the
 * 410 and resets the deliveries it refused, then their jobs are added. Should Redis fail after
 * the reset, the rows are left unqueued and the relay adds their jobs later.
 */
export async function enableAndResume(
  deps: { readonly db: Database; readonly deliveryQueue: DeliveryQueue },
  source: string,
  destination: string,
): Promise<EnableOutcome> {
  const jobs = freshDeliveryJobs(
    deps.deliveryQueue,
    await disabledDeliveries(deps.db, source, destination),
  );
  await jobs.before();
  const { wasDisabled, resumed } = await enableDestination(deps.db, source, destination);
  await jobs.after(resumed);
  await queueDeliveries(deps, resumed);
  return { kind: wasDisabled ? 'enabled' : 'not_disabled', resumed: resumed.length };
}

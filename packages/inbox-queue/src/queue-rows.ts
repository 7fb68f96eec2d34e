import { type RetryPolicies, retryPolicyFor } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import { type DeliveryToQueue, markDeliveriesQueued, markQueued } from '@webhook-inbox/inbox';
import {
  addJobs,
  addJobsPromptly,
  type BulkQueue,
  type DeliveryQueue,
  deliveryJob,
  type Promptly,
  type RowToQueue,
  type WebhookQueue,
  webhookJob,
} from '@webhook-inbox/queue';

export interface QueueDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
  /** Where the rows' deliveries to HTTP destinations go; needed once a row names any. */
  readonly deliveryQueue?: DeliveryQueue;
  readonly retryPolicies: RetryPolicies;
}

/** A stored row, with the destinations whose ledger rows were stored with it. */
export interface StoredRow extends RowToQueue {
  readonly destinations?: readonly string[];
}

export interface QueueRowsOptions {
  /** Refuse at once while Redis is away and give up after a bound, instead of waiting for it. */
  readonly promptly?: Promptly;
  /**
   * Given: the mark is not awaited, so the caller's answer need not wait for it, and its failure
   * is handed here. A row left unmarked only makes the relay re-add a job that exists, a no-op.
   */
  readonly onMarkFailed?: (error: Error) => void;
}

function add<J>(queue: BulkQueue<J>, jobs: readonly J[], promptly: Promptly | undefined) {
  return promptly ? addJobsPromptly(queue, jobs, promptly) : addJobs(queue, jobs);
}

function deliveryQueueOf(deps: Pick<QueueDeps, 'deliveryQueue'>): DeliveryQueue {
  if (!deps.deliveryQueue)
    throw new Error('rows name destinations but no delivery queue was given');
  return deps.deliveryQueue;
}

/**
 * The one way rows get their jobs (the ingress, the relay and replay): every job of the batch in
 * one Redis round trip per queue (the handlers' and the deliveries', sent together), with options
 * from the row's source's retry policy, then the rows and their ledger rows marked queued. Should
 * the jobs not be added, the rows stay unmarked and the relay queues them later.
 */
export async function queueRows(
  deps: QueueDeps,
  rows: readonly StoredRow[],
  { promptly, onMarkFailed }: QueueRowsOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  const jobs = rows.map((row) => webhookJob(row, retryPolicyFor(deps.retryPolicies, row.source)));
  const deliveries: DeliveryToQueue[] = rows.flatMap(({ rowId, source, destinations = [] }) =>
    destinations.map((destination) => ({ rowId, source, destination })),
  );
  await Promise.all([
    add(deps.queue, jobs, promptly),
    deliveries.length > 0 && add(deliveryQueueOf(deps), deliveries.map(deliveryJob), promptly),
  ]);
  const marked = Promise.all([
    markQueued(
      deps.db,
      rows.map((row) => row.rowId),
    ),
    markDeliveriesQueued(deps.db, deliveries),
  ]).then(() => undefined);
  if (onMarkFailed) marked.catch(onMarkFailed);
  else await marked;
}

/** Ledger rows alone (the relay, a replay of one delivery): their jobs, then their mark. */
export async function queueDeliveries(
  deps: Pick<QueueDeps, 'db' | 'deliveryQueue'>,
  deliveries: readonly DeliveryToQueue[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await addJobs(deliveryQueueOf(deps), deliveries.map(deliveryJob));
  await markDeliveriesQueued(deps.db, deliveries);
}

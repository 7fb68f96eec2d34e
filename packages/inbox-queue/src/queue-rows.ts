import { type RetryPolicies, retryPolicyFor } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import { markQueued } from '@webhook-inbox/inbox';
import {
  addJobs,
  addJobsPromptly,
  type Promptly,
  type RowToQueue,
  type WebhookQueue,
  webhookJob,
} from '@webhook-inbox/queue';

export interface QueueDeps {
  readonly db: Database;
  readonly queue: WebhookQueue;
  readonly retryPolicies: RetryPolicies;
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

/**
 * The one way rows get their jobs (the ingress, the relay and replay): every job of the batch in
 * one Redis round trip, with options from the row's source's retry policy, then the rows marked
 * queued in one statement. Should the jobs not be added, the rows stay unmarked and the relay
 * queues them later.
 */
export async function queueRows(
  deps: QueueDeps,
  rows: readonly RowToQueue[],
  { promptly, onMarkFailed }: QueueRowsOptions = {},
): Promise<void> {
  if (rows.length === 0) return;
  const jobs = rows.map((row) => webhookJob(row, retryPolicyFor(deps.retryPolicies, row.source)));
  if (promptly) await addJobsPromptly(deps.queue, jobs, promptly);
  else await addJobs(deps.queue, jobs);
  const marked = markQueued(
    deps.db,
    rows.map((row) => row.rowId),
  );
  if (onMarkFailed) marked.catch(onMarkFailed);
  else await marked;
}

import type { RetryPolicy } from '@webhook-inbox/config';

/**
 * The one job this product queues, declared here and nowhere else: its name, its data and its
 * options. Job data carries the row's ID, never the payload or a secret: the row is the truth,
 * and Redis memory stays small. Versioned so that a rolling deploy can tell old jobs from new.
 */
export const WEBHOOK_JOB_NAME = 'webhook';

export interface WebhookJobData {
  readonly v: 1;
  readonly rowId: number;
  readonly source: string;
}

/** An inbox row that needs a job. */
export interface RowToQueue {
  readonly rowId: number;
  readonly source: string;
}

/** Derived from the row, so adding one event's job twice is a no-op while the job exists. */
export function jobIdFor(rowId: number): string {
  return `evt-${rowId}`;
}

/** How long finished jobs stay in Redis for the dashboard; the inbox table keeps the history. */
const KEEP_COMPLETED = { age: 24 * 3600, count: 10_000 };
const KEEP_FAILED = { age: 14 * 24 * 3600 };

/** The job of `row`, in the shape BullMQ's `add`/`addBulk` take. */
export function webhookJob({ rowId, source }: RowToQueue, retry: RetryPolicy) {
  return {
    name: WEBHOOK_JOB_NAME,
    data: { v: 1, rowId, source },
    opts: {
      jobId: jobIdFor(rowId),
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs },
      removeOnComplete: KEEP_COMPLETED,
      removeOnFail: KEEP_FAILED,
    },
  } as const;
}

export type WebhookJob = ReturnType<typeof webhookJob>;

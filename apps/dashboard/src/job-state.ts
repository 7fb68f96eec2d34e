import { jobIdFor, QUEUE_NAME, type WebhookQueue } from '@webhook-inbox/queue';

export interface JobView {
  readonly id: string;
  /** BullMQ's state, `unknown` when no job exists, `unavailable` when Redis did not answer. */
  readonly state: string;
  readonly attemptsMade?: number;
  readonly failedReason?: string;
  /** Where Bull Board shows it. */
  readonly boardPath: string;
}

export const BOARD_PATH = '/queues';

export async function jobView(queue: WebhookQueue, rowId: number): Promise<JobView> {
  const id = jobIdFor(rowId);
  const boardPath = `${BOARD_PATH}/queue/${QUEUE_NAME}/${id}`;
  try {
    const job = await queue.getJob(id);
    if (!job) return { id, state: 'unknown', boardPath };
    const state = await job.getState();
    return {
      id,
      state,
      attemptsMade: job.attemptsMade,
      ...(job.failedReason ? { failedReason: job.failedReason } : {}),
      boardPath,
    };
  } catch {
    return { id, state: 'unavailable', boardPath };
  }
}

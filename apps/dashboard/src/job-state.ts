import { jobIdFor, QUEUE_NAME, type WebhookQueue } from '@webhook-inbox/queue';
import type { Redis } from 'ioredis';
import { BOARD_PATH } from './constants.ts';

export interface JobView {
  readonly id: string;
  /** BullMQ's state, `unknown` when no job exists, `unavailable` when Redis did not answer. */
  readonly state: string;
  readonly attemptsMade?: number;
  readonly failedReason?: string;
  /** Where Bull Board shows it. */
  readonly boardPath: string;
}

/** BullMQ waits for a connection forever; a page must not, so a Redis that is down is said at once. */
export async function jobView(queue: WebhookQueue, redis: Redis, rowId: number): Promise<JobView> {
  const id = jobIdFor(rowId);
  const boardPath = `${BOARD_PATH}/queue/${QUEUE_NAME}/${id}`;
  if (redis.status !== 'ready') return { id, state: 'unavailable', boardPath };
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

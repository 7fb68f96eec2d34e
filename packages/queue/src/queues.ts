import { type ConnectionOptions, Queue } from 'bullmq';
import type { WEBHOOK_JOB_NAME, WebhookJobData } from './webhook-job.ts';

export const QUEUE_NAME = 'webhooks';

/** Retention's scheduled runs: a queue of its own, under the same prefix. */
export const RETENTION_QUEUE_NAME = 'retention';

export type WebhookQueue = Queue<WebhookJobData, void, typeof WEBHOOK_JOB_NAME>;

export function createWebhookQueue(connection: ConnectionOptions, prefix: string): WebhookQueue {
  return new Queue<WebhookJobData, void, typeof WEBHOOK_JOB_NAME>(QUEUE_NAME, {
    connection,
    prefix,
  });
}

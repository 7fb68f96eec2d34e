import { type ConnectionOptions, Queue } from 'bullmq';
import type { DELIVERY_JOB_NAME, DeliveryJobData } from './delivery-job.ts';
import type { WEBHOOK_JOB_NAME, WebhookJobData } from './webhook-job.ts';

export const QUEUE_NAME = 'webhooks';

/** Retention's scheduled runs: a queue of its own, under the same prefix. */
export const RETENTION_QUEUE_NAME = 'retention';

/** HTTP destinations' deliveries: a queue of their own, under the same prefix. */
export const DELIVERY_QUEUE_NAME = 'deliveries';

export type WebhookQueue = Queue<WebhookJobData, void, typeof WEBHOOK_JOB_NAME>;

export function createWebhookQueue(connection: ConnectionOptions, prefix: string): WebhookQueue {
  return new Queue<WebhookJobData, void, typeof WEBHOOK_JOB_NAME>(QUEUE_NAME, {
    connection,
    prefix,
  });
}

export type DeliveryQueue = Queue<DeliveryJobData, void, typeof DELIVERY_JOB_NAME>;

export function createDeliveryQueue(connection: ConnectionOptions, prefix: string): DeliveryQueue {
  return new Queue<DeliveryJobData, void, typeof DELIVERY_JOB_NAME>(DELIVERY_QUEUE_NAME, {
    connection,
    prefix,
  });
}

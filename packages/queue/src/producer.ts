import type { Redis } from 'ioredis';
import { createRedis } from './connection.ts';
import {
  createDeliveryQueue,
  createWebhookQueue,
  type DeliveryQueue,
  type WebhookQueue,
} from './queues.ts';

export interface ProducerQueues {
  readonly redis: Redis;
  readonly queue: WebhookQueue;
  readonly deliveryQueue: DeliveryQueue;
}

/**
 * The fail-fast connection and the queues of a process that adds jobs (the ingress, the
 * console), each of their errors told to `onError` with what it came from: without a listener
 * an 'error' event would crash the process.
 */
export function openProducerQueues(
  redisUrl: string,
  prefix: string,
  onError: (error: Error, from: string) => void,
): ProducerQueues {
  const redis = createRedis(redisUrl, 'producer');
  redis.on('error', (error) => onError(error, 'redis connection error'));
  const queue = createWebhookQueue(redis, prefix);
  queue.on('error', (error) => onError(error, 'queue error'));
  const deliveryQueue = createDeliveryQueue(redis, prefix);
  deliveryQueue.on('error', (error) => onError(error, 'delivery queue error'));
  return { redis, queue, deliveryQueue };
}

import type { Database } from '@webhook-inbox/db';
import { QUEUE_NAME, type WebhookJobData } from '@webhook-inbox/queue';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { createProcessor, type ProcessOutcome } from './process-event.ts';
import type { HandlerRegistry } from './registry.ts';

export interface WebhookWorkerDeps {
  readonly db: Database;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /** A connection with maxRetriesPerRequest: null, as BullMQ workers need. */
  readonly connection: Redis;
  readonly prefix: string;
  readonly concurrency: number;
}

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const worker = new Worker<WebhookJobData, ProcessOutcome>(QUEUE_NAME, createProcessor(deps), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency,
  });
  // Without a listener an 'error' event would crash the process.
  worker.on('error', (error) => deps.log.error({ err: error }, 'worker error'));
  return worker;
}

import { createRedis } from '@webhook-inbox/queue';
import { silentLog, type TestEnvironment } from '@webhook-inbox/testing';
import type { HandlerRegistry } from '../src/registry.ts';
import { createWebhookWorker, type WebhookWorkerDeps } from '../src/worker.ts';

/** What a test changes of a worker; the rest is `env`'s and a test's defaults. */
export type WorkerSettings = Partial<Omit<WebhookWorkerDeps, 'handlers' | 'connection'>>;

/** A webhook worker on `env`'s database and queue, with a Redis connection of its own. */
export function workerFor(
  env: TestEnvironment,
  handlers: HandlerRegistry,
  settings: WorkerSettings = {},
) {
  const connection = createRedis(env.redisUrl, 'worker');
  const webhookWorker = createWebhookWorker({
    db: env.db,
    log: silentLog,
    prefix: env.queuePrefix,
    concurrency: 5,
    stall: { lockDurationMs: 5_000, stalledIntervalMs: 2_000, maxStalledCount: 3 },
    outageRetryMs: 500,
    handlerTimeoutMs: () => 10_000,
    ...settings,
    handlers,
    connection,
  });
  return {
    worker: webhookWorker.worker,
    /** Waits up to `graceMs` for the jobs in flight, then closes the connection. */
    async close(graceMs = 5_000) {
      await webhookWorker.close(graceMs);
      connection.disconnect();
    },
  };
}

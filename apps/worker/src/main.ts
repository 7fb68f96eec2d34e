import { configOrExit, loadHandlerTimeouts, loadRetryPolicies } from '@webhook-inbox/config';
import { createDb } from '@webhook-inbox/db';
import { createLogger } from '@webhook-inbox/logger';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { readWorkerEnv } from './env.ts';
import { handlers } from './handlers/index.ts';
import { startRelay } from './relay.ts';
import { createWebhookWorker } from './worker.ts';

const { env, retryPolicies, handlerTimeouts } = configOrExit('worker', () => {
  const env = readWorkerEnv();
  return {
    env,
    retryPolicies: loadRetryPolicies(env.SOURCES_FILE),
    handlerTimeouts: loadHandlerTimeouts(env.SOURCES_FILE),
  };
});
const log = createLogger({ name: 'worker', level: env.LOG_LEVEL });
const handlerTimeoutMs = (source: string) => handlerTimeouts.get(source) ?? env.HANDLER_TIMEOUT_MS;
// Postgres's own limits are a second line behind the handler deadline, for when this process
// cannot enforce it (a blocked event loop): a little longer than the longest deadline.
const serverTimeoutMs = Math.max(env.HANDLER_TIMEOUT_MS, ...handlerTimeouts.values()) + 5_000;
// One connection per concurrent job, plus the relay's, the outage probe's and one to record a
// failure while an attempt's connection is still being closed.
const {
  db,
  pool,
  close: closeDb,
} = createDb(env.DATABASE_URL, {
  max: env.WORKER_CONCURRENCY + 3,
  statementTimeoutMs: serverTimeoutMs,
  idleInTransactionTimeoutMs: serverTimeoutMs,
});
const connection = createRedis(env.REDIS_URL, 'worker');
const producer = createRedis(env.REDIS_URL, 'producer');
for (const redis of [connection, producer]) {
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
}
const queue = createWebhookQueue(producer, env.QUEUE_PREFIX);
queue.on('error', (error) => log.warn({ err: error.message }, 'queue error'));

const webhookWorker = createWebhookWorker({
  db,
  pool,
  handlers,
  log,
  connection,
  prefix: env.QUEUE_PREFIX,
  concurrency: env.WORKER_CONCURRENCY,
  stall: {
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  },
  outageRetryMs: env.OUTAGE_RETRY_MS,
  handlerTimeoutMs,
});
const relay = startRelay({
  db,
  pool,
  queue,
  redis: producer,
  retryPolicies,
  log,
  intervalMs: env.RELAY_INTERVAL_MS,
  orphanAgeMs: env.RELAY_ORPHAN_AGE_MS,
});

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  log.info({ signal, graceMs: env.SHUTDOWN_GRACE_MS }, 'shutting down: finishing in-flight jobs');
  await relay.stop();
  const finished = await webhookWorker.close(env.SHUTDOWN_GRACE_MS);
  if (!finished) log.warn('grace period over: unfinished jobs are left to the stalled check');
  await queue.close();
  connection.disconnect();
  producer.disconnect();
  await closeDb();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

log.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');

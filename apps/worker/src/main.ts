import { configOrExit, readSourcesFile } from '@webhook-inbox/config';
import { createDb, postgresAnswers } from '@webhook-inbox/db';
import { readInboxGauges } from '@webhook-inbox/inbox';
import { stopGracefully } from '@webhook-inbox/lifecycle';
import { createLogger } from '@webhook-inbox/logger';
import { createRegistry, createWorkerMetrics, startAdminServer } from '@webhook-inbox/metrics';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { answersWithin } from '@webhook-inbox/time-limit';
import { hasSignedTimestamp } from '@webhook-inbox/verify';
import { readWorkerEnv } from './env.ts';
import { loadHandlers } from './handlers-module.ts';
import { startRelay } from './relay.ts';
import { startRetention } from './retention.ts';
import { confirmSnsSubscriptions } from './sns-confirmation.ts';
import { createWebhookWorker } from './worker.ts';

const { env, retryPolicies, handlerTimeouts, timestampedSources } = configOrExit('worker', () => {
  const env = readWorkerEnv();
  const sources = readSourcesFile(env.SOURCES_FILE);
  return {
    env,
    retryPolicies: sources.retryPolicies(),
    handlerTimeouts: sources.handlerTimeouts(),
    timestampedSources: sources.timestampedSources(hasSignedTimestamp),
  };
});
const handlers = await loadHandlers(env.HANDLERS_MODULE).catch((error: Error) => {
  console.error(`worker: ${error.message}`);
  process.exit(1);
});
confirmSnsSubscriptions(handlers, readSourcesFile(env.SOURCES_FILE).optionsOf('aws-sns'));
const log = createLogger({ name: 'worker', level: env.LOG_LEVEL });
const handlerTimeoutMs = (source: string) => handlerTimeouts.get(source) ?? env.HANDLER_TIMEOUT_MS;
// Postgres's own limits are a second line behind the handler deadline, for when this process
// cannot enforce it (a blocked event loop): a little longer than the longest deadline.
const serverTimeoutMs = Math.max(env.HANDLER_TIMEOUT_MS, ...handlerTimeouts.values()) + 5_000;
// At most one connection per concurrent job (a group of jobs shares one), plus the relay's lock and its queries, the outage probe's,
// retention's and a scrape's; a failure is recorded after its attempt's connection is back.
const dbClient = createDb(env.DATABASE_URL, {
  max: env.WORKER_CONCURRENCY + 5,
  statementTimeoutMs: serverTimeoutMs,
  idleInTransactionTimeoutMs: serverTimeoutMs,
});
const { db, pool } = dbClient;
const connection = createRedis(env.REDIS_URL, 'worker');
const producer = createRedis(env.REDIS_URL, 'producer');
for (const redis of [connection, producer]) {
  redis.on('error', (error) => log.warn({ err: error.message }, 'redis connection error'));
}
const queue = createWebhookQueue(producer, env.QUEUE_PREFIX);
queue.on('error', (error) => log.warn({ err: error.message }, 'queue error'));

const registry = createRegistry();
const metrics = createWorkerMetrics(registry, retryPolicies.keys(), {
  queueCounts: () =>
    queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'),
  inbox: async () => readInboxGauges(dbClient),
});

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
  onJobEnd: metrics.job,
  group: { size: env.WORKER_GROUP_SIZE, waitMs: env.WORKER_GROUP_WAIT_MS },
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
  onRequeued: metrics.relayRequeued,
});
const retention = startRetention({
  db: dbClient,
  connection,
  prefix: env.QUEUE_PREFIX,
  policy: {
    payloadDays: env.RETENTION_PAYLOAD_DAYS,
    deleteDays: env.RETENTION_DAYS,
    timestampedSources,
    // No attempt's transaction outlives this: longer, some other session is holding one open.
    olderTransactionsWaitMs: serverTimeoutMs,
  },
  everyMs: env.RETENTION_INTERVAL_MS,
  log,
  onPruned: metrics.retentionPruned,
});
const admin = await startAdminServer({
  registry,
  host: env.METRICS_HOST,
  port: env.METRICS_PORT,
  ready: async () => {
    const [postgres, redis] = await Promise.all([
      postgresAnswers(pool),
      answersWithin(() => producer.ping(), 2_000),
    ]);
    return { postgres, redis, worker: webhookWorker.worker.isRunning() };
  },
}).catch((error: Error) => {
  console.error(`worker: ${error.message}`);
  process.exit(1);
});

// After an uncaught error every attempt in flight gets its whole deadline, so each one ends
// processed or recorded as failed (and retried), never cut off by the exit.
const uncaughtGraceMs = Math.max(env.SHUTDOWN_GRACE_MS, serverTimeoutMs);
stopGracefully(log, {
  announce: {
    message: 'shutting down: finishing in-flight jobs',
    fields: { graceMs: env.SHUTDOWN_GRACE_MS },
  },
  uncaughtDeadlineMs: uncaughtGraceMs + 10_000,
  async close(reason) {
    await relay.stop();
    await retention.close();
    const graceMs = reason === 'signal' ? env.SHUTDOWN_GRACE_MS : uncaughtGraceMs;
    const finished = await webhookWorker.close(graceMs);
    if (!finished) log.warn('grace period over: unfinished jobs are left to the stalled check');
    await admin.close();
    await queue.close();
    connection.disconnect();
    producer.disconnect();
    await dbClient.close();
  },
});

log.info({ url: `${admin.url}/metrics` }, 'metrics listening');
log.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');

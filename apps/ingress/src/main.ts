import { configOrExit } from '@webhook-inbox/config';
import { createDb } from '@webhook-inbox/db';
import { announceReady, stopGracefully } from '@webhook-inbox/lifecycle';
import { createLogger } from '@webhook-inbox/logger';
import { createIngressMetrics, createRegistry, startAdminServer } from '@webhook-inbox/metrics';
import { openProducerQueues, waitForRedis } from '@webhook-inbox/queue';
import { buildIngress } from './app.ts';
import { deadlinesOf, readIngressConfig } from './env.ts';

const { env, sources } = configOrExit('ingress', () => readIngressConfig());
const log = createLogger({ name: 'ingress', level: env.LOG_LEVEL });
for (const source of sources.values()) {
  for (const warning of source.warnings) log.warn({ source: source.name }, warning);
}
const db = createDb(env.DATABASE_URL, { statementTimeoutMs: env.INGEST_DEADLINE_MS });
const { redis, queue, deliveryQueue } = openProducerQueues(
  env.REDIS_URL,
  env.QUEUE_PREFIX,
  (error, from) => log.warn({ err: error.message }, from),
);

const registry = createRegistry();
const metrics = createIngressMetrics(registry, sources.keys());
const app = buildIngress({
  sources,
  db,
  queue,
  deliveryQueue,
  redis,
  log,
  bodyLimit: env.BODY_LIMIT,
  deadlines: deadlinesOf(env),
  ingestDeadlineMs: env.INGEST_DEADLINE_MS,
  metrics,
  maxConnectionsPerClient: env.MAX_CONNECTIONS_PER_CLIENT,
});
const admin = await startAdminServer({
  registry,
  host: env.METRICS_HOST,
  port: env.METRICS_PORT,
}).catch((error: Error) => {
  console.error(`ingress: ${error.message}`);
  process.exit(1);
});
log.info({ url: `${admin.url}/metrics` }, 'metrics listening');

stopGracefully(log, {
  announce: { message: 'shutting down: finishing in-flight requests' },
  async close() {
    // close() stops accepting and waits for in-flight requests before resolving.
    await app.close();
    await admin.close();
    await queue.close();
    await deliveryQueue.close();
    redis.disconnect();
    await db.close();
  },
});

// Events are acked without Redis (the relay queues them later), so its absence only warrants a warning.
if (!(await waitForRedis(redis, 5_000)))
  log.warn('redis not reachable yet; accepting events anyway');
await app.listen({ port: env.PORT, host: env.HOST });
log.info({ sources: [...sources.keys()] }, 'ingress ready');
announceReady();

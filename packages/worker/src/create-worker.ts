import { readSourcesFile } from '@webhook-inbox/config';
import { createDb, postgresAnswers } from '@webhook-inbox/db';
import { createDeliverer, parseDestination } from '@webhook-inbox/delivery';
import { listDisabledDestinations, readInboxGauges } from '@webhook-inbox/inbox';
import { type StopReason, stopGracefully } from '@webhook-inbox/lifecycle';
import { createLogger } from '@webhook-inbox/logger';
import {
  type AdminServer,
  createDeliveryMetrics,
  createRegistry,
  createWorkerMetrics,
  startAdminServer,
} from '@webhook-inbox/metrics';
import { createDeliveryQueue, createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { answersWithin } from '@webhook-inbox/time-limit';
import { hasSignedTimestamp } from '@webhook-inbox/verify';
import { startDeliveryRunner } from './delivery-runner.ts';
import { processSecrets, type WorkerEnv } from './env.ts';
import type { HandlerRegistry } from './registry.ts';
import { startRelay } from './relay.ts';
import { startRetention } from './retention.ts';
import { confirmSnsSubscriptions } from './sns-confirmation.ts';
import { createWebhookWorker } from './worker.ts';

/** The worker's settings, as `readWorkerEnv()` reads them (each is documented there). */
export type WorkerSettings = Omit<WorkerEnv, 'HANDLERS_MODULE'>;

export interface WorkerOptions extends WorkerSettings {
  /** What runs for each event: made with `defineHandlers()`. */
  readonly handlers: HandlerRegistry;
  /**
   * Whether SIGTERM/SIGINT and an uncaught error stop the worker and exit the process (the
   * default). `false` when your program owns the process and calls `close()` itself.
   */
  readonly stopOnSignals?: boolean;
  /**
   * Where the sources file's `env:VAR` secrets (destinations') are looked up: the process's
   * environment, as the ingress's, unless given.
   */
  readonly secrets?: Readonly<Record<string, string | undefined>>;
}

export interface RunningWorker {
  /** The admin server: `/metrics`, `/healthz`, `/readyz`. */
  readonly adminUrl: string;
  /**
   * Stops taking jobs, gives the running ones `SHUTDOWN_GRACE_MS` to finish (those that do
   * not are left to the stalled check, and retried), and closes every connection.
   */
  close(): Promise<void>;
}

/**
 * Runs the handlers on every event the ingress stores: the queue's jobs, each one exactly once
 * in its event's transaction; the relay, which queues committed rows that have no job; the
 * scheduled retention; and the admin server. A bad sources file is a ConfigError, thrown before
 * anything is opened; an admin port that cannot be bound rejects after closing what was opened.
 */
export async function createWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { handlers, stopOnSignals = true, secrets = processSecrets(), ...env } = options;
  const sources = readSourcesFile(env.SOURCES_FILE);
  const retryPolicies = sources.retryPolicies();
  const handlerTimeouts = sources.handlerTimeouts();
  const destinations = sources.destinations(secrets, (raw) =>
    parseDestination(raw, env.DESTINATION_ALLOWED_HOSTS),
  );
  confirmSnsSubscriptions(handlers, sources.optionsOf('aws-sns'));
  const log = createLogger({ name: 'worker', level: env.LOG_LEVEL });
  const handlerTimeoutMs = (source: string) =>
    handlerTimeouts.get(source) ?? env.HANDLER_TIMEOUT_MS;
  // Postgres's own limits are a second line behind the handler deadline, for when this process
  // cannot enforce it (a blocked event loop): a little longer than the longest deadline.
  const serverTimeoutMs = Math.max(env.HANDLER_TIMEOUT_MS, ...handlerTimeouts.values()) + 5_000;
  // At most one connection per concurrent job (a group of jobs shares one) and per delivery,
  // plus the relay's lock and its queries, the outage probe's, retention's and a scrape's; a
  // failure is recorded after its attempt's connection is back.
  const db = createDb(env.DATABASE_URL, {
    max: env.WORKER_CONCURRENCY + env.DELIVERY_CONCURRENCY + 5,
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
  const deliveryQueue = createDeliveryQueue(producer, env.QUEUE_PREFIX);
  deliveryQueue.on('error', (error) => log.warn({ err: error.message }, 'delivery queue error'));

  const registry = createRegistry();
  const metrics = createWorkerMetrics(registry, retryPolicies.keys(), {
    queueCounts: () =>
      queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'),
    inbox: async () => readInboxGauges(db),
  });

  const stall = {
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    maxStalledCount: env.WORKER_MAX_STALLED_COUNT,
  };
  const deliverer = createDeliverer({
    breaker: {
      failureThreshold: env.DELIVERY_BREAKER_FAILURES,
      coolDownMs: env.DELIVERY_BREAKER_COOLDOWN_MS,
    },
  });
  const deliveryMetrics = createDeliveryMetrics(
    registry,
    new Map([...destinations].map(([source, list]) => [source, list.map((d) => d.name)])),
    { breakers: () => deliverer.breakers(), disabled: () => listDisabledDestinations(db) },
  );

  const webhookWorker = createWebhookWorker({
    db,
    handlers,
    log,
    connection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.WORKER_CONCURRENCY,
    stall,
    outageRetryMs: env.OUTAGE_RETRY_MS,
    handlerTimeoutMs,
    onJobEnd: metrics.job,
    group: { size: env.WORKER_GROUP_SIZE, waitMs: env.WORKER_GROUP_WAIT_MS },
    queue,
  });
  const deliveryRunner = startDeliveryRunner({
    db,
    log,
    connection,
    prefix: env.QUEUE_PREFIX,
    concurrency: env.DELIVERY_CONCURRENCY,
    stall,
    perDestination:
      env.DELIVERY_CONCURRENCY_PER_DESTINATION ??
      Math.max(1, Math.floor(env.DELIVERY_CONCURRENCY / 2)),
    destinations,
    deliverer,
    onDelivery: deliveryMetrics.delivery,
  });
  const relay = startRelay({
    db,
    queue,
    deliveryQueue,
    redis: producer,
    retryPolicies,
    log,
    intervalMs: env.RELAY_INTERVAL_MS,
    orphanAgeMs: env.RELAY_ORPHAN_AGE_MS,
    onRequeued: metrics.relayRequeued,
  });
  const retention = startRetention({
    db,
    connection,
    prefix: env.QUEUE_PREFIX,
    policy: {
      payloadDays: env.RETENTION_PAYLOAD_DAYS,
      deleteDays: env.RETENTION_DAYS,
      timestampedSources: sources.timestampedSources(hasSignedTimestamp),
      // No attempt's transaction outlives this: longer, some other session is holding one open.
      olderTransactionsWaitMs: serverTimeoutMs,
    },
    everyMs: env.RETENTION_INTERVAL_MS,
    log,
    onPruned: metrics.retentionPruned,
  });

  // After an uncaught error every attempt in flight gets its whole deadline, so each one ends
  // processed or recorded as failed (and retried), never cut off by the exit.
  const uncaughtGraceMs = Math.max(env.SHUTDOWN_GRACE_MS, serverTimeoutMs);
  let admin: AdminServer | undefined;
  let closed: Promise<void> | undefined;
  // Once, whoever asks first: a signal, an uncaught error, the program, a failed start.
  const close = (reason: StopReason) => {
    closed ??= (async () => {
      await relay.stop();
      await retention.close();
      const graceMs = reason === 'signal' ? env.SHUTDOWN_GRACE_MS : uncaughtGraceMs;
      const finished = await webhookWorker.close(graceMs);
      if (!finished) log.warn('grace period over: unfinished jobs are left to the stalled check');
      await deliveryRunner.close();
      await admin?.close();
      await queue.close();
      await deliveryQueue.close();
      connection.disconnect();
      producer.disconnect();
      await db.close();
    })();
    return closed;
  };

  try {
    admin = await startAdminServer({
      registry,
      host: env.METRICS_HOST,
      port: env.METRICS_PORT,
      ready: async () => {
        const [postgres, redis] = await Promise.all([
          postgresAnswers(db.pool),
          answersWithin(() => producer.ping(), 2_000),
        ]);
        return { postgres, redis, worker: webhookWorker.worker.isRunning() };
      },
    });
  } catch (error) {
    await close('signal');
    throw error;
  }

  if (stopOnSignals) {
    stopGracefully(log, {
      announce: {
        message: 'shutting down: finishing in-flight jobs',
        fields: { graceMs: env.SHUTDOWN_GRACE_MS },
      },
      uncaughtDeadlineMs: uncaughtGraceMs + 10_000,
      close,
    });
  }
  log.info({ url: `${admin.url}/metrics` }, 'metrics listening');
  log.info({ concurrency: env.WORKER_CONCURRENCY }, 'worker ready');
  return { adminUrl: admin.url, close: () => close('signal') };
}

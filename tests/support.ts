import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDashboard, passwordCredentials } from '@webhook-inbox/dashboard';
import { accounts } from '@webhook-inbox/db';
import { buildIngress, loadIngressSources, type Source } from '@webhook-inbox/ingress';
import { createLogger } from '@webhook-inbox/logger';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { signHmacSha256, type TestEnvironment, waitFor } from '@webhook-inbox/testing';
import type { EventLimits } from '@webhook-inbox/verify';
import { createWebhookWorker, defineHandlers, type HandlerRegistry } from '@webhook-inbox/worker';
import { sql } from 'drizzle-orm';

export const PAYMENTS_SECRET = 'whsec_payments_test_secret';
export const POLKA_KEY = 'polka_test_key';

export const silentLog = createLogger({ name: 'test', level: 'silent' });

/** Loads sources through the real loader, from a file, as the ingress does at start-up. */
export function sourcesFrom(entries: unknown[], limits?: EventLimits): Map<string, Source> {
  const dir = mkdtempSync(join(tmpdir(), 'wi-sources-'));
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify(entries));
  return loadIngressSources(file, {}, limits);
}

export function exampleSources(retry = { attempts: 3, backoffMs: 20 }) {
  return sourcesFrom([
    { name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET, retry },
    {
      name: 'polka',
      provider: 'api-key',
      secrets: ['old_key', POLKA_KEY],
      options: { typeField: 'event' },
      retry,
    },
  ]);
}

export function ingressFor(env: TestEnvironment, sources = exampleSources()) {
  return buildIngress({
    sources,
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
  });
}

/** An ingress whose Redis is unreachable (nothing listens on port 1): it stores but cannot queue. */
export function ingressWithoutRedis(env: TestEnvironment) {
  const redis = createRedis('redis://127.0.0.1:1', 'producer');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.queuePrefix);
  queue.on('error', () => {});
  const app = buildIngress({
    sources: exampleSources(),
    db: env.db,
    queue,
    redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
  });
  return {
    app,
    async close() {
      await app.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

export function workerFor(env: TestEnvironment, handlers: HandlerRegistry, concurrency = 5) {
  const connection = createRedis(env.redisUrl, 'worker');
  const webhookWorker = createWebhookWorker({
    db: env.db.db,
    pool: env.db.pool,
    handlers,
    log: silentLog,
    connection,
    prefix: env.queuePrefix,
    concurrency,
    stall: { lockDurationMs: 5_000, stalledIntervalMs: 2_000, maxStalledCount: 3 },
    outageRetryMs: 500,
    handlerTimeoutMs: () => 10_000,
  });
  return {
    worker: webhookWorker.worker,
    async close() {
      await webhookWorker.close(5_000);
      connection.disconnect();
    },
  };
}

let counter = 0;
export function paymentEvent(
  customerId: string,
  amount: number,
  id = `evt_${++counter}_${Date.now()}`,
) {
  return {
    id,
    type: 'payment.succeeded',
    occurred_at: new Date().toISOString(),
    data: { customer_id: customerId, amount, currency: 'INR' },
  };
}

export function signedPayment(body: string, secret = PAYMENTS_SECRET) {
  return {
    method: 'POST' as const,
    url: '/webhooks/payments',
    headers: { 'content-type': 'application/json', 'x-signature': signHmacSha256(body, secret) },
    payload: body,
  };
}

export const DASHBOARD_USER = 'operator';
export const DASHBOARD_PASSWORD = 'correct horse battery staple';

/** The operators' console on this run's database and queue, not yet listening. */
export function dashboardFor(env: TestEnvironment, retry = { attempts: 3, backoffMs: 20 }) {
  return buildDashboard({
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    queuePrefix: env.queuePrefix,
    retryPolicies: new Map([['payments', retry]]),
    credentials: passwordCredentials(DASHBOARD_USER, DASHBOARD_PASSWORD),
    log: silentLog,
    sessionKey: randomBytes(32),
    secureCookie: false,
  });
}

/**
 * A payments handler that credits the account as the example app's does, and that a test can
 * break (it throws `message`) and fix again, as an operator's broken deploy would.
 */
export function breakablePaymentsHandler(message: string) {
  const state = { broken: false };
  const handlers = defineHandlers().on('payments', 'payment.succeeded', async (event, { tx }) => {
    if (state.broken) throw new Error(message);
    const { data } = event.payload as { data: { customer_id: string; amount: number } };
    await tx
      .insert(accounts)
      .values({ id: data.customer_id, balance: data.amount })
      .onConflictDoUpdate({
        target: accounts.id,
        set: { balance: sql`${accounts.balance} + ${data.amount}` },
      });
  });
  return { handlers, state };
}

export interface EventState {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

/** An event's row as the tests check it, by its event ID (unique within a test file). */
export async function eventState(env: TestEnvironment, eventId: string) {
  const [found] = await env.db.query<EventState>(
    'select id, status, attempts, last_error from webhook_events where event_id = $1',
    [eventId],
  );
  return found;
}

/** Waits for the event to reach `status`; resolves with its row then. */
export function waitForEventStatus(
  env: TestEnvironment,
  eventId: string,
  status: string,
  timeoutMs = 15_000,
) {
  return waitFor(
    async () => {
      const found = await eventState(env, eventId);
      return found?.status === status ? found : undefined;
    },
    { timeoutMs, what: `${eventId} to be ${status}` },
  );
}

/** The example app's balance of an account; undefined before its first credit. */
export async function accountBalance(env: TestEnvironment, customer: string) {
  const [found] = await env.db.query<{ balance: string }>(
    'select balance from accounts where id = $1',
    [customer],
  );
  return found === undefined ? undefined : Number(found.balance);
}

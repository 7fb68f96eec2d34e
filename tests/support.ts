import type { RetryPolicy } from '@webhook-inbox/config';
import type { DashboardDeps } from '@webhook-inbox/dashboard';
import { accounts } from '@webhook-inbox/example-payments';
import {
  createTestEnvironment,
  dashboardFor,
  exampleSources,
  ingressFor,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import {
  createWorker,
  defineHandlers,
  type HandlerRegistry,
  type RunningWorker,
  readWorkerEnv,
} from '@webhook-inbox/worker';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { workerFor } from '../packages/worker/test/support.ts';

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

/** An ingress, a worker and a console on one environment: what an operator's console sits on. */
export interface ConsoleStack {
  readonly env: TestEnvironment;
  readonly ingress: FastifyInstance;
  readonly worker: ReturnType<typeof workerFor>;
  readonly dashboard: FastifyInstance;
  /** Closes the console, the worker and the ingress, then drops the environment. */
  close(): Promise<void>;
}

export async function consoleStack(
  handlers: HandlerRegistry,
  retry: RetryPolicy,
  dashboard: Partial<DashboardDeps> = {},
): Promise<ConsoleStack> {
  const env = await createTestEnvironment();
  const ingress = ingressFor(env, { sources: exampleSources(retry) });
  const worker = workerFor(env, handlers);
  const app = await dashboardFor(env, dashboard);
  return {
    env,
    ingress,
    worker,
    dashboard: app,
    async close() {
      await app.close();
      await worker.close();
      await ingress.close();
      await env.cleanup();
    },
  };
}

/**
 * The worker as a user's program runs it, on the environment and the sources file `file`, its
 * HTTP destinations allowed on 127.0.0.1 (the tests' local receivers), its metrics on a free port.
 */
export function destinationsWorker(
  env: TestEnvironment,
  file: string,
  handlers: HandlerRegistry,
): Promise<RunningWorker> {
  return createWorker({
    ...readWorkerEnv({
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.queuePrefix,
      SOURCES_FILE: file,
      METRICS_PORT: '0',
      LOG_LEVEL: 'silent',
      DESTINATION_ALLOWED_HOSTS: '127.0.0.1',
    }),
    handlers,
    stopOnSignals: false,
  });
}

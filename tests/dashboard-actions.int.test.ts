import { accounts } from '@webhook-inbox/example-payments';
import { eventHistory } from '@webhook-inbox/inbox';
import {
  ConsoleClient,
  createTestEnvironment,
  eventState,
  exampleSources,
  ingressFor,
  paymentEvent,
  signedPayment,
  type TestEnvironment,
  waitFor,
} from '@webhook-inbox/testing';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  dashboardFor,
} from '../apps/dashboard/test/support.ts';
import { breakablePaymentsHandler, workerFor } from './support.ts';

// A backoff long enough that only "retry now" can bring the next attempt within the test.
const RETRY = { attempts: 3, backoffMs: 10 * 60_000 };

let env: TestEnvironment;
let ingress: FastifyInstance;
let dashboard: FastifyInstance;
let worker: ReturnType<typeof workerFor>;
const { handlers, state: handler } = breakablePaymentsHandler('ledger locked');
handler.broken = true;

beforeAll(async () => {
  env = await createTestEnvironment();
  ingress = ingressFor(env, { sources: exampleSources(RETRY) });
  worker = workerFor(env, handlers);
  dashboard = await dashboardFor(env, { retryPolicies: new Map([['payments', RETRY]]) });
});
afterAll(async () => {
  await dashboard?.close();
  await worker?.close();
  await ingress?.close();
  await env?.cleanup();
});

describe('retry now, with a real worker', () => {
  it("cuts a failed event's backoff short: the next attempt runs at once and credits once", async () => {
    await ingress.inject(
      signedPayment(JSON.stringify(paymentEvent('cus_retry', 700, 'evt_retry'))),
    );
    const failed = await waitFor(
      async () => {
        const found = await eventState(env, 'evt_retry');
        return found?.status === 'failed' ? found : undefined;
      },
      { what: 'evt_retry to fail once' },
    );
    expect(failed.attempts).toBe(1);

    handler.broken = false;
    expect(
      (await dashboard.inject({ method: 'POST', url: `/api/events/${failed.id}/retry-now` }))
        .statusCode,
    ).toBe(401);
    const operator = new ConsoleClient(dashboard, {
      user: DASHBOARD_USER,
      password: DASHBOARD_PASSWORD,
    });
    expect((await operator.logIn()).statusCode).toBe(303);
    const csrf = await operator.csrfFrom(`/events/${failed.id}`);
    const retried = await operator.request({
      method: 'POST',
      url: `/api/events/${failed.id}/retry-now`,
      headers: { 'csrf-token': csrf },
    });
    expect(retried.json()).toMatchObject({ ok: true });
    const processed = await waitFor(
      async () => {
        const found = await eventState(env, 'evt_retry');
        return found?.status === 'processed' ? found : undefined;
      },
      { what: 'evt_retry processed after retry now', timeoutMs: 15_000 },
    );
    expect(processed.attempts).toBe(2);
    const history = await eventHistory(env.db, Number(failed.id));
    expect(history.map((entry) => [entry.kind, entry.outcome, entry.actor])).toEqual([
      ['attempt', 'failed', expect.stringMatching(/^worker /)],
      ['retry_now', 'failed', DASHBOARD_USER],
      ['attempt', 'processed', expect.stringMatching(/^worker /)],
    ]);
    const [account] = await env.db.select().from(accounts).where(eq(accounts.id, 'cus_retry'));
    expect(account?.balance).toBe(700);
  });
});

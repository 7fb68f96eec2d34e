import { accounts } from '@webhook-inbox/example-payments';
import { eventHistory } from '@webhook-inbox/inbox';
import {
  DASHBOARD_USER,
  eventState,
  OperatorClient,
  paymentEvent,
  signedPayment,
  waitFor,
} from '@webhook-inbox/testing';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breakablePaymentsHandler, type ConsoleStack, consoleStack } from './support.ts';

// A backoff long enough that only "retry now" can bring the next attempt within the test.
const RETRY = { attempts: 3, backoffMs: 10 * 60_000 };

let stack: ConsoleStack;
const { handlers, state: handler } = breakablePaymentsHandler('ledger locked');
handler.broken = true;

beforeAll(async () => {
  stack = await consoleStack(handlers, RETRY, { retryPolicies: new Map([['payments', RETRY]]) });
});
afterAll(() => stack?.close());

describe('retry now, with a real worker', () => {
  it("cuts a failed event's backoff short: the next attempt runs at once and credits once", async () => {
    await stack.ingress.inject(
      signedPayment(JSON.stringify(paymentEvent('cus_retry', 700, 'evt_retry'))),
    );
    const failed = await waitFor(
      async () => {
        const found = await eventState(stack.env, 'evt_retry');
        return found?.status === 'failed' ? found : undefined;
      },
      { what: 'evt_retry to fail once' },
    );
    expect(failed.attempts).toBe(1);

    handler.broken = false;
    expect(
      (await stack.dashboard.inject({ method: 'POST', url: `/api/events/${failed.id}/retry-now` }))
        .statusCode,
    ).toBe(401);
    const operator = new OperatorClient(stack.dashboard);
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
        const found = await eventState(stack.env, 'evt_retry');
        return found?.status === 'processed' ? found : undefined;
      },
      { what: 'evt_retry processed after retry now', timeoutMs: 15_000 },
    );
    expect(processed.attempts).toBe(2);
    const history = await eventHistory(stack.env.db, Number(failed.id));
    expect(history.map((entry) => [entry.kind, entry.outcome, entry.actor])).toEqual([
      ['attempt', 'failed', expect.stringMatching(/^worker /)],
      ['retry_now', 'failed', DASHBOARD_USER],
      ['attempt', 'processed', expect.stringMatching(/^worker /)],
    ]);
    const [account] = await stack.env.db
      .select()
      .from(accounts)
      .where(eq(accounts.id, 'cus_retry'));
    expect(account?.balance).toBe(700);
  });
});

import { createLogger } from '@webhook-inbox/logger';
import { type TestEnvironment, waitFor } from './harness.ts';
import { signHmacSha256 } from './signing.ts';

/** The secrets of the example sources the in-process tests build. */
export const PAYMENTS_SECRET = 'whsec_payments_test_secret';
export const POLKA_KEY = 'polka_test_key';

export const silentLog = createLogger({ name: 'test', level: 'silent' });

let counter = 0;
/** A `payment.succeeded` event, as the example `payments` source and its handler expect it. */
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

/** An `inject()` request of `body` to the payments source, signed as its sender would. */
export function signedPayment(body: string, secret = PAYMENTS_SECRET) {
  return {
    method: 'POST' as const,
    url: '/webhooks/payments',
    headers: { 'content-type': 'application/json', 'x-signature': signHmacSha256(body, secret) },
    payload: body,
  };
}

export interface EventState {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

/** An event's row as the tests check it, by its event ID (unique within a test file). */
export async function eventState(env: TestEnvironment, eventId: string) {
  const [found] = await env.db.rows<EventState>(
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
  const [found] = await env.db.rows<{ balance: string }>(
    'select balance from accounts where id = $1',
    [customer],
  );
  return found === undefined ? undefined : Number(found.balance);
}

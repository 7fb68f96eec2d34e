import { readFileSync } from 'node:fs';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { environmentPerFile, ingressFor, sourcesFrom, waitFor } from '@webhook-inbox/testing';
import Stripe from 'stripe';
import { expect, it } from 'vitest';
import { workerFor } from '../packages/worker/test/support.ts';

// Exactly-once on a real provider's payload: Stripe's own SDK signs a payment_intent.succeeded
// event, Stripe-style retries deliver it many times, and the customer is credited once.

const SECRET = 'whsec_example_test_secret';
const stripe = new Stripe('sk_test_unused');
const fixture = readFileSync(
  'packages/verify/test/fixtures/stripe-payment_intent.succeeded.json',
  'utf8',
);
const event = JSON.parse(fixture) as {
  id: string;
  data: { object: { customer: string; amount_received: number } };
};

const env = environmentPerFile();

function delivery() {
  // Stripe signs each delivery afresh, so every retry carries a new timestamp and signature.
  const signature = stripe.webhooks.generateTestHeaderString({ payload: fixture, secret: SECRET });
  return {
    method: 'POST' as const,
    url: '/webhooks/stripe',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    payload: fixture,
  };
}

it('credits a Stripe payment_intent.succeeded once, however often it is delivered', async () => {
  const app = ingressFor(env, {
    sources: sourcesFrom([{ name: 'stripe', provider: 'stripe', secret: SECRET }]),
  });
  const worker = workerFor(env, exampleHandlers);
  try {
    const responses = await Promise.all(Array.from({ length: 20 }, () => app.inject(delivery())));
    expect(responses.map((response) => response.statusCode)).toEqual(Array(20).fill(200));
    const { customer, amount_received: amount } = event.data.object;
    const balance = async () =>
      (
        await env.db.rows<{ balance: string }>('select balance from accounts where id = $1', [
          customer,
        ])
      )[0]?.balance;
    await waitFor(async () => ((await balance()) === undefined ? undefined : true), {
      what: 'the customer to be credited',
    });
    expect((await app.inject(delivery())).json()).toEqual({ received: true, duplicate: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(Number(await balance())).toBe(amount);
    const rows = await env.db.rows<{ status: string; event_type: string }>(
      'select status, event_type from webhook_events where source = $1 and event_id = $2',
      ['stripe', event.id],
    );
    expect(rows).toEqual([{ status: 'processed', event_type: 'payment_intent.succeeded' }]);
  } finally {
    await worker.close();
    await app.close();
  }
});

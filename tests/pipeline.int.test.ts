import { webhookEvents } from '@webhook-inbox/db';
import { accounts, handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { jobIdFor } from '@webhook-inbox/queue';
import {
  environmentPerFile,
  exampleSources,
  ingressFor,
  POLKA_KEY,
  paymentEvent,
  signedPayment,
  waitFor,
} from '@webhook-inbox/testing';
import { defineHandlers } from '@webhook-inbox/worker';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { workerFor } from '../packages/worker/test/support.ts';

const env = environmentPerFile();
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (closers.length > 0) await closers.pop()?.();
});

function start<T extends { close(): Promise<void> }>(thing: T): T {
  closers.push(() => thing.close());
  return thing;
}

async function eventRow(source: string, eventId: string) {
  const [row] = await env.db
    .select()
    .from(webhookEvents)
    .where(sql`${webhookEvents.source} = ${source} and ${webhookEvents.eventId} = ${eventId}`);
  return row;
}

async function balanceOf(id: string) {
  const [row] = await env.db.select().from(accounts).where(eq(accounts.id, id));
  return row;
}

function waitForStatus(source: string, eventId: string, status: string, timeoutMs = 10_000) {
  return waitFor(
    async () => {
      const row = await eventRow(source, eventId);
      return row?.status === status ? row : undefined;
    },
    { timeoutMs, what: `${source}/${eventId} to be ${status}` },
  );
}

describe('the pipeline, end to end', () => {
  it('takes a signed event from HTTP to processed, with its effect', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers));
    const event = paymentEvent('cus_happy', 4900);
    const response = await app.inject(signedPayment(JSON.stringify(event)));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ received: true, duplicate: false });

    const row = await waitForStatus('payments', event.id, 'processed');
    expect(row.attempts).toBe(1);
    expect(row.processedAt).toBeInstanceOf(Date);
    expect(row.eventType).toBe('payment.succeeded');
    expect(await balanceOf('cus_happy')).toEqual({
      id: 'cus_happy',
      balance: 4900,
      isMember: true,
    });

    const [stored] = await env.db.rows<{ kind: string; headers: Record<string, string> }>(
      'select jsonb_typeof(payload) as kind, headers from webhook_events where id = $1',
      [row.id],
    );
    expect(stored?.kind).toBe('object');
    expect(stored?.headers).toHaveProperty('content-type', 'application/json');
    expect(stored?.headers).not.toHaveProperty('x-signature');
  });

  it('credits once when the same event arrives 50 times at once', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers, { concurrency: 10 }));
    const body = JSON.stringify(paymentEvent('cus_storm', 100, 'evt_storm'));
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => app.inject(signedPayment(body))),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(50).fill(200));
    expect(responses.filter((r) => r.json().duplicate === false)).toHaveLength(1);

    await waitForStatus('payments', 'evt_storm', 'processed');
    const [count] = await env.db.rows<{ n: number }>(
      "select count(*)::int as n from webhook_events where event_id = 'evt_storm'",
    );
    expect(count?.n).toBe(1);
    expect((await balanceOf('cus_storm'))?.balance).toBe(100);
  });

  it('processes, once, a duplicate of an event whose job was lost', async () => {
    const app = start(ingressFor(env));
    const body = JSON.stringify(paymentEvent('cus_lost', 700, 'evt_lost'));
    expect((await app.inject(signedPayment(body))).statusCode).toBe(200);
    const row = await eventRow('payments', 'evt_lost');
    if (!row) throw new Error('row not stored');
    expect(await env.queue.remove(jobIdFor(row.id))).toBe(1);

    const resent = await app.inject(signedPayment(body));
    expect(resent.json()).toEqual({ received: true, duplicate: true });
    start(workerFor(env, exampleHandlers));
    await waitForStatus('payments', 'evt_lost', 'processed');
    expect((await balanceOf('cus_lost'))?.balance).toBe(700);
  });

  it('acks a duplicate of a processed event without running the handler again', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers));
    const body = JSON.stringify(paymentEvent('cus_later', 300, 'evt_later'));
    await app.inject(signedPayment(body));
    await waitForStatus('payments', 'evt_later', 'processed');
    const again = await app.inject(signedPayment(body));
    expect(again.json()).toEqual({ received: true, duplicate: true });
    // Give a wrongly re-run job time to show itself.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await balanceOf('cus_later'))?.balance).toBe(300);
    expect((await eventRow('payments', 'evt_later'))?.attempts).toBe(1);
  });

  it('retries a throwing handler with backoff: credited once, attempts = 3', async () => {
    let calls = 0;
    const flaky = defineHandlers().on('payments', 'payment.succeeded', async (event, context) => {
      const handler = exampleHandlers.find('payments', 'payment.succeeded');
      if (!handler) throw new Error('example handler missing');
      // The write happens first, then the throw: the rollback must undo it.
      await handler(event, context);
      calls += 1;
      if (calls <= 2) throw new Error(`flaky failure ${calls}`);
    });
    const app = start(ingressFor(env));
    start(workerFor(env, flaky));
    await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_flaky', 250, 'evt_flaky'))));

    const row = await waitForStatus('payments', 'evt_flaky', 'processed');
    expect(row.attempts).toBe(3);
    expect(row.lastError).toBeNull();
    expect((await balanceOf('cus_flaky'))?.balance).toBe(250);
  });

  it('marks an event dead, with its last error, when every attempt fails', async () => {
    const failing = defineHandlers().on('payments', 'payment.succeeded', async () => {
      throw new Error('downstream said no');
    });
    const app = start(ingressFor(env));
    start(workerFor(env, failing));
    await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_dead', 1, 'evt_dead'))));
    const row = await waitForStatus('payments', 'evt_dead', 'dead');
    expect(row.attempts).toBe(3);
    expect(row.lastError).toContain('downstream said no');
    expect(await balanceOf('cus_dead')).toBeUndefined();
  });

  it('marks an event dead at once when its payload does not match the handler schema', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers));
    const bad = { id: 'evt_shape', type: 'payment.succeeded', data: { amount: 'lots' } };
    await app.inject(signedPayment(JSON.stringify(bad)));
    const row = await waitForStatus('payments', 'evt_shape', 'dead');
    expect(row.attempts).toBe(1);
    expect(row.lastError).toContain('schema');
  });

  it('marks an event with no handler for its type ignored', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers));
    const body = JSON.stringify({ id: 'evt_refund', type: 'refund.created', data: {} });
    await app.inject(signedPayment(body));
    const row = await waitForStatus('payments', 'evt_refund', 'ignored');
    expect(row.attempts).toBe(1);
  });

  it('runs the api-key example: a polka upgrade, deduped by body hash', async () => {
    const app = start(ingressFor(env));
    start(workerFor(env, exampleHandlers));
    const body = JSON.stringify({ event: 'user.upgraded', data: { user_id: 'user_polka' } });
    const request = {
      method: 'POST' as const,
      url: '/webhooks/polka',
      headers: { 'content-type': 'application/json', authorization: `ApiKey ${POLKA_KEY}` },
      payload: body,
    };
    expect((await app.inject(request)).json()).toEqual({ received: true, duplicate: false });
    expect((await app.inject(request)).json()).toEqual({ received: true, duplicate: true });
    await waitFor(async () => ((await balanceOf('user_polka'))?.isMember ? true : undefined), {
      what: 'user_polka to be a member',
    });
    const [stored] = await env.db.rows<{ headers: Record<string, string> }>(
      "select headers from webhook_events where source = 'polka'",
    );
    expect(stored?.headers).not.toHaveProperty('authorization');
  });

  it('uses each source retry policy for its jobs', async () => {
    const app = start(
      ingressFor(env, { sources: exampleSources({ attempts: 7, backoffMs: 1234 }) }),
    );
    await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_policy', 1, 'evt_policy'))));
    const row = await eventRow('payments', 'evt_policy');
    const job = await env.queue.getJob(jobIdFor(row?.id ?? -1));
    expect(job?.opts.attempts).toBe(7);
    expect(job?.opts.backoff).toEqual({ type: 'exponential', delay: 1234 });
    expect(job?.data).toEqual({ v: 1, rowId: row?.id, source: 'payments' });
  });
});

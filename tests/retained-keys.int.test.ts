import { hash } from 'node:crypto';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { runRetention, storeEvent } from '@webhook-inbox/inbox';
import {
  accountBalance,
  environmentPerFile,
  eventState,
  eventToStore,
  ingressFor,
  paymentEvent,
  signedPayment,
  sourcesFrom,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { storeStatement } from '../packages/inbox/src/store-statement.ts';
import { CASES } from '../packages/verify/test/cases/index.ts';
import { workerFor } from '../packages/worker/test/support.ts';

const DAY_MS = 24 * 3600 * 1000;
const afterRetention = {
  payloadDays: 30,
  deleteDays: 90,
  timestampedSources: ['stripe'],
  now: new Date(Date.now() + 91 * DAY_MS),
};

const env = environmentPerFile();

const retainedKeys = (source: string) =>
  env.db.rows<{ event_id: string }>(
    'select event_id from retained_event_keys where source = $1 order by event_id',
    [source],
  );

describe('dedupe keys after retention deleted the event', () => {
  it('acks a replay of an untimestamped source as a duplicate, stores and runs nothing', async () => {
    const app = ingressFor(env);
    const worker = workerFor(env, exampleHandlers);
    try {
      const event = paymentEvent('cus_replayed', 4900);
      const request = signedPayment(JSON.stringify(event));
      expect((await app.inject(request)).json()).toEqual({ received: true, duplicate: false });
      await waitForEventStatus(env, event.id, 'processed');
      expect(await accountBalance(env, 'cus_replayed')).toBe(4900);

      const run = await runRetention(env.db, afterRetention);
      expect(run).toEqual({ kind: 'ran', pruned: { delete: 1, tombstone: 0 } });
      expect(await eventState(env, event.id)).toBeUndefined();
      expect(await retainedKeys('payments')).toEqual([{ event_id: event.id }]);

      const jobsBefore = await env.queue.count();
      const replay = await app.inject(request);
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual({ received: true, duplicate: true });
      expect(await eventState(env, event.id)).toBeUndefined();
      expect(await env.queue.count()).toBe(jobsBefore);
      expect(await accountBalance(env, 'cus_replayed')).toBe(4900);
    } finally {
      await worker.close();
      await app.close();
    }
  });

  it('keeps a GitHub delivery a duplicate after retention, under its ID or a new one', async () => {
    const github = CASES.find((c) => c.label === 'github');
    if (!github) throw new Error('no github case');
    const app = ingressFor(env, {
      sources: sourcesFrom([{ name: 'github', provider: 'github', secret: github.secret }]),
    });
    const worker = workerFor(env, exampleHandlers);
    try {
      const signed = await github.sign(github.secret, new Date());
      const post = (delivery: string) =>
        app.inject({
          method: 'POST',
          url: signed.url,
          headers: { ...signed.headers, 'X-GitHub-Delivery': delivery },
          payload: signed.body,
        });
      expect((await post('gh-delivery-1')).json()).toEqual({ received: true, duplicate: false });
      await waitForEventStatus(env, 'gh-delivery-1', 'ignored');
      await runRetention(env.db, afterRetention);
      expect(await eventState(env, 'gh-delivery-1')).toBeUndefined();

      for (const delivery of ['gh-delivery-1', 'gh-delivery-2']) {
        const replay = await post(delivery);
        expect(replay.json(), delivery).toEqual({ received: true, duplicate: true });
        expect(await eventState(env, delivery)).toBeUndefined();
      }
    } finally {
      await worker.close();
      await app.close();
    }
  });

  it('refuses a replay whose insert began before retention kept the key', async () => {
    const body = JSON.stringify({ id: 'evt_racing_replay', type: 'payment.succeeded' });
    const event = eventToStore({
      eventId: 'evt_racing_replay',
      body,
      bodySha256: hash('sha256', body, 'hex'),
    });
    const first = await storeEvent(env.db, event);
    if (first.kind !== 'inserted') throw new Error(`not stored: ${first.kind}`);
    await env.db.rows("update webhook_events set status = 'processed' where id = $1", [
      first.rowId,
    ]);
    // The ingress's own statement, in a transaction whose snapshot is taken before retention
    // runs: what a replay's insert sees when it began just before the key was kept.
    const replay = await env.db.pool.connect();
    try {
      await replay.query('begin isolation level repeatable read');
      await replay.query('select 1');
      const run = runRetention(env.db, { ...afterRetention, olderTransactionsWaitMs: 30_000 });
      for (let kept = false; !kept; ) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        kept = (await retainedKeys('payments')).some((k) => k.event_id === 'evt_racing_replay');
      }
      const found = await replay.query<{ inserted: boolean }>(storeStatement([event]));
      expect(found.rows.map((row) => row.inserted)).toEqual([false]);
      await replay.query('commit');
      expect(await run).toMatchObject({ kind: 'ran', pruned: { delete: 1 } });
    } finally {
      await replay.query('rollback').catch(() => {});
      replay.release();
    }
    expect(await eventState(env, 'evt_racing_replay')).toBeUndefined();
    expect(await storeEvent(env.db, event)).toMatchObject({ kind: 'retained' });
  });

  it('drops the keys of a timestamped source with its rows, as before', async () => {
    const body = JSON.stringify({ id: 'evt_stripe_old', type: 'charge.succeeded' });
    const event = eventToStore({
      source: 'stripe',
      eventId: 'evt_stripe_old',
      eventType: 'charge.succeeded',
      body,
      bodySha256: hash('sha256', body, 'hex'),
    });
    const first = await storeEvent(env.db, event);
    if (first.kind !== 'inserted') throw new Error(`not stored: ${first.kind}`);
    await env.db.rows("update webhook_events set status = 'processed' where id = $1", [
      first.rowId,
    ]);
    await runRetention(env.db, afterRetention);
    expect(await eventState(env, 'evt_stripe_old')).toBeUndefined();
    expect(await retainedKeys('stripe')).toEqual([]);
    expect(await storeEvent(env.db, event)).toMatchObject({ kind: 'inserted' });
  });
});

import { createDb } from '@webhook-inbox/db';
import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { replayEvent } from '@webhook-inbox/inbox-queue';
import { createRedis, jobIdFor, QUEUE_NAME } from '@webhook-inbox/queue';
import {
  accountBalance,
  environmentPerFile,
  eventState,
  exampleSources,
  ingressFor,
  ingressWithoutRedis,
  paymentEvent,
  signedPayment,
  silentLog,
  TcpProxy,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { defineHandlers } from '@webhook-inbox/worker';
import { Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { startRelay } from '../packages/worker/src/relay.ts';
import { workerFor } from '../packages/worker/test/support.ts';

const env = environmentPerFile();

const retryPolicies = new Map([['payments', { attempts: 2, backoffMs: 10 }]]);

const relayFor = (timing: { intervalMs: number; orphanAgeMs: number; batchSize?: number }) =>
  startRelay({
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    retryPolicies,
    log: silentLog,
    ...timing,
  });

describe('the relay', () => {
  it('queues events the ingress stored while Redis was down', async () => {
    const offline = ingressWithoutRedis(env);
    const worker = workerFor(env, exampleHandlers);
    const relay = relayFor({ intervalMs: 100, orphanAgeMs: 200, batchSize: 2 });
    try {
      const ids = ['evt_relay_1', 'evt_relay_2', 'evt_relay_3', 'evt_relay_4', 'evt_relay_5'];
      for (const id of ids) {
        const response = await offline.app.inject(
          signedPayment(JSON.stringify(paymentEvent('cus_relay', 10, id))),
        );
        expect(response.statusCode).toBe(200);
      }
      const first = await eventState(env, 'evt_relay_1');
      expect(await env.queue.getJob(jobIdFor(Number(first?.id)))).toBeUndefined();
      // Five rows in batches of two: the relay must walk past its first batch.
      for (const id of ids) await waitForEventStatus(env, id, 'processed');
      expect(await accountBalance(env, 'cus_relay')).toBe(50);
    } finally {
      await relay.stop();
      await worker.close();
      await offline.close();
    }
  });

  it('never doubles an effect when several relays run at once', async () => {
    // Without Redis at the ingress, only the relays can queue these events.
    const offline = ingressWithoutRedis(env);
    const relays = [1, 2, 3].map(() => relayFor({ intervalMs: 20, orphanAgeMs: 1 }));
    const worker = workerFor(env, exampleHandlers);
    try {
      for (let i = 0; i < 20; i += 1) {
        const response = await offline.app.inject(
          signedPayment(JSON.stringify(paymentEvent('cus_relays', 5, `evt_relays_${i}`))),
        );
        expect(response.statusCode).toBe(200);
      }
      for (let i = 0; i < 20; i += 1) await waitForEventStatus(env, `evt_relays_${i}`, 'processed');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await accountBalance(env, 'cus_relays')).toBe(100);
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await worker.close();
      await offline.close();
    }
  });

  it('marks dead a row whose job BullMQ failed for good behind its back', async () => {
    const app = ingressFor(env, { sources: exampleSources({ attempts: 1, backoffMs: 10 }) });
    const connection = createRedis(env.redisUrl, 'worker');
    // A worker that takes the job and fails it without touching the row, as BullMQ does to a
    // job that stalled too often, or as a worker does that lost Postgres on its last attempt.
    const manual = new Worker(QUEUE_NAME, null, { connection, prefix: env.queuePrefix });
    // Turns only when told to.
    const relay = relayFor({ intervalMs: 60_000, orphanAgeMs: 1 });
    try {
      await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_lost', 7, 'evt_lost'))));
      const job = await manual.getNextJob('test-token');
      if (!job) throw new Error('no job to take');
      await job.moveToFailed(new Error('job stalled more than allowable limit'), 'test-token');
      expect(await env.queue.getJobState(job.id ?? '')).toBe('failed');
      expect((await eventState(env, 'evt_lost'))?.status).toBe('received');

      await relay.runOnce();
      expect(await eventState(env, 'evt_lost')).toMatchObject({
        status: 'dead',
        last_error: 'Error: job stalled more than allowable limit',
      });
    } finally {
      await relay.stop();
      await manual.close();
      connection.disconnect();
      await app.close();
    }
  });
});

describe('replay', () => {
  it('gives a dead event a fresh start once its handler is fixed', async () => {
    const app = ingressFor(env);
    let broken = workerFor(
      env,
      defineHandlers().on('payments', 'payment.succeeded', async () => {
        throw new Error('bug in handler');
      }),
    );
    try {
      await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_replay', 42, 'evt_replay'))));
      await waitForEventStatus(env, 'evt_replay', 'dead');
      expect((await eventState(env, 'evt_replay'))?.last_error).toContain('bug in handler');
      await broken.close();

      broken = workerFor(env, exampleHandlers);
      const dead = await eventState(env, 'evt_replay');
      const replayDeps = {
        db: env.db,
        queue: env.queue,
        deliveryQueue: env.deliveryQueue,
        retryPolicies,
        actor: 'test',
      };
      expect(await replayEvent(replayDeps, Number(dead?.id))).toEqual({
        kind: 'replayed',
        rowId: Number(dead?.id),
      });
      await waitForEventStatus(env, 'evt_replay', 'processed');
      expect(await eventState(env, 'evt_replay')).toMatchObject({ attempts: 1, last_error: null });
      expect(await accountBalance(env, 'cus_replay')).toBe(42);

      // A processed event is never replayed: that would repeat its effects.
      expect(await replayEvent(replayDeps, Number(dead?.id))).toMatchObject({
        kind: 'not_replayable',
        status: 'processed',
      });
    } finally {
      await broken.close();
      await app.close();
    }
  });
});

describe('a Postgres outage under the worker', () => {
  it('postpones jobs without spending attempts, then processes them once', async () => {
    const proxy = await TcpProxy.start('127.0.0.1', 5432);
    const proxiedDb = createDb(proxy.wrap(env.databaseUrl), { connectTimeoutMs: 1_000 });
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = defineHandlers().on('payments', 'payment.succeeded', async (event, context) => {
      await gate;
      await exampleHandlers.find('payments', 'payment.succeeded')?.(event, context);
    });
    const worker = workerFor(env, gated, { db: proxiedDb, concurrency: 2, outageRetryMs: 300 });
    const app = ingressFor(env);
    try {
      await app.inject(signedPayment(JSON.stringify(paymentEvent('cus_outage', 7, 'evt_outage'))));
      // The handler is inside its transaction: cut Postgres under it.
      await waitFor(async () => ((await env.queue.getActiveCount()) > 0 ? true : undefined));
      proxy.cut();
      release();
      await waitFor(async () => (worker.worker.isPaused() ? true : undefined), {
        what: 'worker to pause',
      });
      expect((await eventState(env, 'evt_outage'))?.status).toBe('received');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      proxy.restore();
      await waitForEventStatus(env, 'evt_outage', 'processed');
      expect(await eventState(env, 'evt_outage')).toMatchObject({ attempts: 1, last_error: null });
      expect(await accountBalance(env, 'cus_outage')).toBe(7);
    } finally {
      await worker.close(2_000);
      await app.close();
      await proxiedDb.close();
      await proxy.close();
    }
  });
});

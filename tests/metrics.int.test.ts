import { spawnSync } from 'node:child_process';
import { RETENTION_QUEUE_NAME } from '@webhook-inbox/queue';
import {
  type AppProcess,
  childBaseEnv,
  paymentBody,
  STACK_SECRET,
  sendPayment,
  TestStack,
  testServices,
} from '@webhook-inbox/testing';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleValue, scrape } from './metrics.ts';

let stack: TestStack;
let ingressUrl: string;
let ingressAdmin: string;
let workerAdmin: string;
let worker: AppProcess;

beforeAll(async () => {
  stack = await TestStack.create();
  const ingress = await stack.startIngress();
  ingressUrl = ingress.url;
  ingressAdmin = await TestStack.adminUrlOf(ingress.process);
  worker = await stack.startWorker({ RETENTION_INTERVAL_MS: '500' });
  workerAdmin = await TestStack.adminUrlOf(worker);
});

afterAll(async () => {
  await stack?.stop();
});

const payment = (eventId: string) => ({ eventId, customer: 'cus_metrics', amount: 7 });

describe('metrics on the admin port', () => {
  it('serves metrics on the admin port only, never on the public port', async () => {
    expect(new URL(ingressAdmin).port).not.toBe(new URL(ingressUrl).port);
    const publicMetrics = await fetch(new URL('/metrics', ingressUrl));
    expect(publicMetrics.status).toBe(404);
    const text = await scrape(ingressAdmin);
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('# TYPE webhook_requests_total counter');
  });

  it('stops a process at start-up, in one line, when its admin port is taken', () => {
    const taken = new URL(ingressAdmin).port;
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'apps/ingress/src/main.ts'], {
      env: { ...childBaseEnv, PORT: '0', METRICS_PORT: taken, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim()).toBe(
      `ingress: cannot listen on 127.0.0.1:${taken} for metrics (EADDRINUSE): set METRICS_PORT or METRICS_HOST`,
    );
  });

  it('moves with traffic: stored, duplicates, rejections, unknown sources', async () => {
    const before = await scrape(ingressAdmin);
    const accepted = { source: 'payments', outcome: 'accepted', status: '200' };
    const countBefore = sampleValue(before, 'webhook_requests_total', accepted) ?? 0;

    expect((await sendPayment(ingressUrl, STACK_SECRET, payment('evt_m1'))).status).toBe(200);
    expect((await sendPayment(ingressUrl, STACK_SECRET, payment('evt_m1'))).status).toBe(200);
    expect((await sendPayment(ingressUrl, 'wrong-secret', payment('evt_m2'))).status).toBe(401);
    const unknown = await fetch(new URL('/webhooks/no-such-source-1234', ingressUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: paymentBody(payment('evt_m3')),
    });
    expect(unknown.status).toBe(404);

    const after = await scrape(ingressAdmin);
    expect(sampleValue(after, 'webhook_requests_total', accepted)).toBe(countBefore + 2);
    expect(sampleValue(after, 'webhook_events_stored_total', { source: 'payments' })).toBe(1);
    expect(sampleValue(after, 'webhook_duplicates_total', { source: 'payments' })).toBe(1);
    expect(
      sampleValue(after, 'webhook_verification_failures_total', {
        source: 'payments',
        reason: 'no_matching_secret',
      }),
    ).toBe(1);
    expect(sampleValue(after, 'webhook_requests_total', { source: 'unknown', status: '404' })).toBe(
      1,
    );
    expect(after).not.toContain('no-such-source-1234');
    expect(sampleValue(after, 'webhook_ack_duration_seconds_count', { source: 'payments' })).toBe(
      2,
    );
  });

  it("counts the worker's jobs and reads the inbox and queue on scrape", async () => {
    await stack.waitUntilProcessed([payment('evt_m1')]);
    const text = await scrape(workerAdmin);
    const processed = { source: 'payments', type: 'payment.succeeded', outcome: 'processed' };
    expect(sampleValue(text, 'webhook_jobs_total', processed)).toBeGreaterThanOrEqual(1);
    expect(
      sampleValue(text, 'webhook_handler_duration_seconds_count', {
        source: 'payments',
        type: 'payment.succeeded',
      }),
    ).toBeGreaterThanOrEqual(1);
    expect(sampleValue(text, 'webhook_events', { status: 'dead' })).toBe(0);
    expect(sampleValue(text, 'webhook_oldest_unfinished_event_age_seconds')).toBeGreaterThanOrEqual(
      0,
    );
    expect(sampleValue(text, 'webhook_queue_jobs', { state: 'waiting' })).toBeGreaterThanOrEqual(0);
    expect(text).toContain('# TYPE webhook_relay_requeued_total counter');
    expect(text).toContain('# TYPE webhook_retention_pruned_total counter');
  });

  it('runs retention on its BullMQ job scheduler: one schedule, however many workers', async () => {
    const second = await stack.startWorker({ RETENTION_INTERVAL_MS: '500' });
    await worker.waitForLine(/"pruned":\{"delete":0,"tombstone":0\},"msg":"retention"/);
    const queue = new Queue(RETENTION_QUEUE_NAME, {
      connection: { url: testServices.redisUrl },
      prefix: stack.queuePrefix,
    });
    try {
      const schedulers = await queue.getJobSchedulers();
      expect(schedulers.map((scheduler) => [scheduler.key, scheduler.every])).toEqual([
        ['retention', 500],
      ]);
    } finally {
      await queue.close();
      await second.stop();
    }
  });

  it("answers the worker's health checks on its admin port", async () => {
    expect((await fetch(`${workerAdmin}/healthz`)).status).toBe(200);
    const ready = await fetch(`${workerAdmin}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ ok: true, postgres: true, redis: true, worker: true });
  });
});

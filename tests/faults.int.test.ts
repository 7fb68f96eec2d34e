import {
  type AppProcess,
  type PaymentToSend,
  paymentsWithDuplicates,
  resendUntilAcked,
  STACK_SECRET,
  sendPayments,
  TcpProxy,
  TestStack,
  testServices,
} from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// Real processes, real faults: SIGKILL, SIGTERM, and connections cut by a proxy in between.
// Each test has its own database and queue prefix, and stops everything it started.

let stack: TestStack;
const cleanups: Array<() => Promise<void>> = [];

beforeEach(async () => {
  stack = await TestStack.create();
});
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  await stack.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function proxyTo(port: number) {
  const proxy = await TcpProxy.start('127.0.0.1', port);
  cleanups.push(() => proxy.close());
  return proxy;
}

/** Sends `events` at a steady pace and cuts `proxy` for `cutMs` one second in. */
async function sendThroughCut(
  events: PaymentToSend[],
  url: string,
  proxy: TcpProxy,
  cutMs: number,
) {
  const sending = sendPayments(events, {
    concurrency: 4,
    url: () => url,
    secret: STACK_SECRET,
    pauseMs: 20,
  });
  await sleep(1_000);
  proxy.cut();
  await sleep(cutMs);
  proxy.restore();
  return sending;
}

describe('faults', { timeout: 180_000 }, () => {
  it('loses and doubles nothing while workers are SIGKILLed again and again', async () => {
    const { url } = await stack.startIngress();
    const workers: AppProcess[] = [await stack.startWorker(), await stack.startWorker()];
    const events = paymentsWithDuplicates('kill', 2000, 600, 25);

    let sending = true;
    let kills = 0;
    // At least three kills, however quickly the sending ends on this machine: a replacement
    // worker's start-up can outlast it under load, and kills while the backlog is processed count.
    const killer = (async () => {
      while (sending || kills < 3) {
        await sleep(400 + Math.random() * 400);
        await stack.killAndReplaceWorker(workers);
        kills += 1;
      }
    })();
    const results = await sendPayments(events, {
      concurrency: 16,
      url: () => url,
      secret: STACK_SECRET,
    });
    sending = false;
    await killer;

    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    await stack.waitUntilProcessed(events, 90_000);
    expect(await stack.reconcile(events)).toEqual([]);
    // A killed attempt rolled back without a trace, so no event shows more than one attempt.
    const [attempts] = await stack.db.rows<{ max: number }>(
      'select max(attempts)::int as max from webhook_events',
    );
    expect(attempts?.max).toBe(1);
  });

  it('processes every acked event exactly once when Redis is cut during ingest', async () => {
    const proxy = await proxyTo(6379);
    const redisUrl = proxy.wrap(testServices.redisUrl);
    const ingress = await stack.startIngress({ REDIS_URL: redisUrl });
    await stack.startWorker({ REDIS_URL: redisUrl });
    const events = paymentsWithDuplicates('redis', 600, 150, 10);
    const results = await sendThroughCut(events, ingress.url, proxy, 3_000);

    // Postgres was there all along: every event is acked, queued or not.
    expect(results.filter((result) => result.status !== 200)).toEqual([]);
    expect(ingress.process.lines.some((line) => line.includes('stored but not queued'))).toBe(true);
    await stack.waitUntilProcessed(events, 60_000);
    expect(await stack.reconcile(events)).toEqual([]);
  });

  it('never acks an uncommitted event when Postgres is cut, and processes resends once', async () => {
    const proxy = await proxyTo(5432);
    const databaseUrl = proxy.wrap(stack.databaseUrl);
    const ingress = await stack.startIngress({ DATABASE_URL: databaseUrl });
    await stack.startWorker({ DATABASE_URL: databaseUrl });
    const events = paymentsWithDuplicates('pg', 600, 150, 10);
    const results = await sendThroughCut(events, ingress.url, proxy, 2_500);

    const acked = new Set(results.filter((r) => r.status === 200).map((r) => r.event.eventId));
    const refused = results.filter((r) => r.status !== 200);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((r) => r.status))).toEqual(new Set([503]));
    const stored = await stack.db.rows(
      'select event_id from webhook_events where event_id = any($1)',
      [[...acked]],
    );
    expect(stored.length).toBe(acked.size);

    // The provider retries what was refused.
    const pending = await resendUntilAcked(
      refused.map((r) => r.event),
      { concurrency: 4, url: () => ingress.url, secret: STACK_SECRET },
      { rounds: 10, pauseMs: 500 },
    );
    expect(pending).toEqual([]);
    await stack.waitUntilProcessed(events, 60_000);
    expect(await stack.reconcile(events)).toEqual([]);
  });

  it('answers every request (2xx and stored, or an error) when ingress and worker get SIGTERM under load', async () => {
    const first = await stack.startIngress();
    const second = await stack.startIngress();
    const worker = await stack.startWorker();
    const events = paymentsWithDuplicates('term', 800, 200, 10);

    let target = first.url;
    const sending = sendPayments(events, {
      concurrency: 8,
      url: () => target,
      secret: STACK_SECRET,
      pauseMs: 5,
    });
    await sleep(800);
    worker.kill('SIGTERM');
    const replacement = stack.startWorker();
    await sleep(400);
    first.process.kill('SIGTERM');
    // A load balancer would move traffic on once the first stops; requests sent in between
    // must fail visibly, never be acked and lost.
    await sleep(200);
    target = second.url;
    const results = await sending;
    await replacement;

    expect(await first.process.exited).toEqual({ code: 0, signal: null });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    const acked = new Set(results.filter((r) => r.status === 200).map((r) => r.event.eventId));
    const stored = await stack.db.rows(
      'select event_id from webhook_events where event_id = any($1)',
      [[...acked]],
    );
    expect(stored.length).toBe(acked.size);
    for (const result of results) expect([0, 200, 503]).toContain(result.status);

    const unanswered = results.filter((r) => r.status !== 200).map((r) => r.event);
    const resent = await sendPayments(unanswered, {
      concurrency: 4,
      url: () => second.url,
      secret: STACK_SECRET,
    });
    expect(resent.filter((r) => r.status !== 200)).toEqual([]);
    await stack.waitUntilProcessed(events, 60_000);
    expect(await stack.reconcile(events)).toEqual([]);
  });
});

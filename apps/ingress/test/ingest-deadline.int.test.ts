import {
  paymentBody,
  STACK_SECRET,
  signHmacSha256,
  TestStack,
  waitFor,
} from '@webhook-inbox/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A Postgres that hangs (here: a lock on the inbox table held by another connection) must not
// hang webhook requests: a real ingress answers 503 within its deadline and /readyz says so.

const DEADLINE_MS = 1_000;
/** Scheduling on a shared 2-core machine: the answer may come this much after the deadline. */
const SLACK_MS = 1_000;

let stack: TestStack;
let url: string;

beforeAll(async () => {
  stack = await TestStack.create();
  ({ url } = await stack.startIngress({ INGEST_DEADLINE_MS: String(DEADLINE_MS) }));
});
afterAll(async () => {
  await stack.stop();
});

async function post(eventId: string) {
  const body = paymentBody({ eventId, customer: 'cus_lock', amount: 1 });
  const started = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-signature': signHmacSha256(body, STACK_SECRET),
    },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  await response.arrayBuffer();
  return { response, elapsedMs: performance.now() - started };
}

async function ready() {
  const started = performance.now();
  const response = await fetch(new URL('/readyz', url), { signal: AbortSignal.timeout(15_000) });
  return {
    status: response.status,
    body: await response.json(),
    elapsedMs: performance.now() - started,
  };
}

describe('ingest deadline', { timeout: 60_000 }, () => {
  it('answers 503 within the deadline while the inbox table is locked, and recovers after', async () => {
    expect((await post('evt_before_lock')).response.status).toBe(200);

    const locker = await stack.db.pool.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table webhook_events in access exclusive mode');

      const locked = await post('evt_during_lock');
      expect(locked.response.status).toBe(503);
      expect(locked.response.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(locked.elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS * 0.9);
      expect(locked.elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);

      const readiness = await ready();
      expect(readiness.status).toBe(503);
      expect(readiness.body).toMatchObject({ ok: false, postgres: false, redis: true });
      expect(readiness.elapsedMs).toBeLessThan(DEADLINE_MS + SLACK_MS);
    } finally {
      await locker.query('rollback');
      locker.release();
    }

    await waitFor(async () => ((await ready()).status === 200 ? true : undefined), {
      timeoutMs: 10_000,
      what: '/readyz to say ready again',
    });
    const after = await post('evt_during_lock');
    expect(after.response.status).toBe(200);
    const rows = await stack.db.rows<{ event_id: string }>(
      'select event_id from webhook_events order by id',
    );
    expect(rows.map((row) => row.event_id)).toEqual(['evt_before_lock', 'evt_during_lock']);
  });
});

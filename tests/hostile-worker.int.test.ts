import { hash } from 'node:crypto';
import { MAX_PAYLOAD_READ_BYTES, storeEvent } from '@webhook-inbox/inbox';
import {
  paymentsWithDuplicates,
  STACK_SECRET,
  sendPayments,
  TestStack,
} from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// A real worker process, a row that prints far past what node-postgres can hold in one string
// (~600 MB: it threw inside its socket handler and took the process down), and ordinary events
// beside it. Such a row can only be there from before the ingress refused such numbers.

const HUGE = '1e131071';
const CRASH_SIZE_COUNT = 4_800;

let stack: TestStack;

beforeEach(async () => {
  stack = await TestStack.create();
});
afterEach(async () => {
  await stack.stop();
});

describe('a worker process and a row too large to read', () => {
  it('records the row dead, stays up, and processes the events around it', async () => {
    expect(CRASH_SIZE_COUNT * 131_072).toBeGreaterThan(MAX_PAYLOAD_READ_BYTES);
    const body = JSON.stringify({
      id: 'evt_crash_size',
      type: 'payment.succeeded',
      data: { customer_id: 'cus_hostile', amount: 1 },
      amounts: 0,
    }).replace('"amounts":0', `"amounts":[${Array(CRASH_SIZE_COUNT).fill(HUGE).join(',')}]`);
    const stored = await storeEvent(stack.db, {
      source: 'payments',
      eventId: 'evt_crash_size',
      eventType: 'payment.succeeded',
      body,
      headers: '{}',
      bodySha256: hash('sha256', body, 'hex'),
    });
    expect(stored.kind).toBe('inserted');

    const worker = await stack.startWorker();
    const { url } = await stack.startIngress();
    const events = paymentsWithDuplicates('evt_beside', 40, 10, 5);
    await sendPayments(events, { concurrency: 4, url: () => url, secret: STACK_SECRET });
    await stack.waitUntilProcessed(events, 60_000);
    expect(await stack.reconcile(events)).toEqual([]);

    const deadline = Date.now() + 60_000;
    let row: { status: string; attempts: number; last_error: string | null } | undefined;
    while (Date.now() < deadline) {
      [row] = await stack.db.rows<{ status: string; attempts: number; last_error: string | null }>(
        `select status, attempts, last_error from webhook_events where event_id = 'evt_crash_size'`,
      );
      if (row?.status === 'dead') break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(row).toMatchObject({ status: 'dead', attempts: 1 });
    expect(row?.last_error).toMatch(/over the \d+-byte read limit/);
    expect(worker.running).toBe(true);
  });
});

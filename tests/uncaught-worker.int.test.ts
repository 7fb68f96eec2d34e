import {
  type AppProcess,
  type PaymentToSend,
  paymentsWithDuplicates,
  STACK_SECRET,
  sendPayments,
  TestStack,
} from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CALLBACK_BUG_CUSTOMER } from './fixtures/callback-bug-handlers.ts';

// A real worker process whose handler meets an error thrown inside a library callback, out of
// reach of any try/catch. It must not die silently or take the jobs beside it down: it logs the
// error, lets every attempt in flight end (the stuck one by its deadline, recorded as a failed
// attempt and retried), and exits 1 for its supervisor (here, the test) to start a fresh one.

const HANDLERS_MODULE = 'tests/fixtures/callback-bug-handlers.ts';
const FATAL = /"level":60.*bug inside a library callback/;
const WORKER = { HANDLERS_MODULE, HANDLER_TIMEOUT_MS: '2000', SHUTDOWN_GRACE_MS: '1000' };

let stack: TestStack;

beforeEach(async () => {
  stack = await TestStack.create();
});
afterEach(async () => {
  await stack.stop();
});

interface Row {
  event_id: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

const rowOf = async (eventId: string) =>
  (
    await stack.db.rows<Row>(
      'select event_id, status, attempts, last_error from webhook_events where event_id = $1',
      [eventId],
    )
  )[0];

async function exitOf(process: AppProcess) {
  const { code } = await process.exited;
  return code;
}

describe('a worker process and an uncaught error inside a callback', () => {
  it('logs it, fails only the stuck job, finishes the others and exits for a fresh process', async () => {
    const { url } = await stack.startIngress();
    const poison: PaymentToSend = {
      eventId: 'evt_callback_bug',
      customer: CALLBACK_BUG_CUSTOMER,
      amount: 5,
    };
    const events = paymentsWithDuplicates('evt_beside', 40, 10, 5);
    await sendPayments([poison, ...events], {
      concurrency: 4,
      url: () => url,
      secret: STACK_SECRET,
    });

    // The supervisor's part: start a fresh process whenever one exits, until every other
    // event is processed. Each process meets the bug again when the event is retried.
    const processed = stack.waitUntilProcessed(events, 90_000).then(
      () => 'processed' as const,
      (error: Error) => error,
    );
    const stopped: AppProcess[] = [];
    let worker = await stack.startWorker(WORKER);
    for (;;) {
      const next = await Promise.race([processed, worker.exited]);
      if (next === 'processed') break;
      if (next instanceof Error) throw next;
      stopped.push(worker);
      worker = await stack.startWorker(WORKER);
    }
    expect(await stack.reconcile(events)).toEqual([]);
    // The others may all be done before the process that met the bug has drained; it, or a
    // later one when the event is retried, still meets it and exits.
    await worker.waitForLine(FATAL, 60_000);
    await worker.exited;
    stopped.push(worker);

    for (const process of stopped) {
      expect(await exitOf(process)).toBe(1);
      expect(process.lines.filter((line) => FATAL.test(line))).toHaveLength(1);
      expect(process.lines.at(-1)).toContain('"msg":"stopped after an uncaught error"');
    }
    // Each stuck attempt ended by its deadline and was recorded, then retried: not left to the
    // stalled-job check, which once crash-looped such an event to `dead` with 0 attempts.
    const row = await rowOf(poison.eventId);
    expect(row?.attempts).toBeGreaterThanOrEqual(stopped.length);
    expect(row?.status).toMatch(/^(failed|dead|processing)$/);
    expect(row?.last_error).toMatch(/did not finish within 2000 ms/);

    // No event beside the bug was cut off: each was processed at its first attempt.
    const beside = await stack.db.rows<Row>(
      `select event_id, status, attempts, last_error from webhook_events where event_id <> $1`,
      [poison.eventId],
    );
    expect(beside.length).toBe(new Set(events.map((event) => event.eventId)).size);
    expect(beside.filter((row) => row.attempts !== 1 || row.status !== 'processed')).toEqual([]);
  }, 150_000);

  it('refuses to start when HANDLERS_MODULE cannot be loaded, naming the setting', async () => {
    await expect(stack.startWorker({ HANDLERS_MODULE: './no-such-handlers.ts' })).rejects.toThrow(
      /worker: HANDLERS_MODULE: cannot load "\.\/no-such-handlers\.ts"/,
    );
    await expect(
      stack.startWorker({ HANDLERS_MODULE: 'tests/fixtures/no-handlers.ts' }),
    ).rejects.toThrow(
      /worker: HANDLERS_MODULE: "tests\/fixtures\/no-handlers\.ts" exports no handlers/,
    );
  });
});

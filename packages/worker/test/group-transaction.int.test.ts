import { handlers as exampleHandlers } from '@webhook-inbox/example-payments';
import { jobIdFor, WEBHOOK_JOB_NAME } from '@webhook-inbox/queue';
import {
  accountBalance,
  environmentPerFile,
  eventState,
  paymentEvent,
  storeAndQueue,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { defineHandlers, type Handler } from '../src/registry.ts';
import { workerFor } from './support.ts';

const credit = exampleHandlers.find('payments', 'payment.succeeded') as Handler;
const retry = { attempts: 5, backoffMs: 300 };

const env = environmentPerFile();

/**
 * A worker whose groups wait long enough to gather every job already queued, with each
 * handler call recorded: its event, its subscriber and the transaction it ran in. `mirror`,
 * when given, is a second subscriber of the same events.
 */
function startWorker(
  handler: Handler,
  { deadlineMs = 10_000, groupSize = 4, mirror = undefined as Handler | undefined } = {},
) {
  const calls: { eventId: string; subscriber: string; txid: string }[] = [];
  const outcomes: { jobId: string | undefined; outcome: string }[] = [];
  const recorded =
    (run: Handler): Handler =>
    async (event, context) => {
      const [row] = (await context.tx.execute(sql`select txid_current()::text as txid`)).rows as {
        txid: string;
      }[];
      calls.push({ eventId: event.eventId, subscriber: context.subscriber, txid: row?.txid ?? '' });
      await run(event, context);
    };
  const handlers = defineHandlers().on('payments', 'payment.succeeded', recorded(handler));
  if (mirror) handlers.on('payments', 'payment.*', recorded(mirror), { name: 'mirror' });
  const worker = workerFor(env, handlers, {
    concurrency: 4,
    handlerTimeoutMs: () => deadlineMs,
    group: { size: groupSize, waitMs: 300 },
  });
  worker.worker.on('completed', (job, outcome) => outcomes.push({ jobId: job.id, outcome }));
  return { calls, outcomes, close: () => worker.close() };
}

const queuePayment = (eventId: string, customer: string, amount: number) =>
  storeAndQueue(
    env,
    { eventId, body: JSON.stringify(paymentEvent(customer, amount, eventId)) },
    retry,
  );

const callsOf = (calls: readonly { eventId: string }[], eventId: string) =>
  calls.filter((call) => call.eventId === eventId).length;

async function attemptOutcomes(eventId: string) {
  const rows = await env.db.rows<{ outcome: string; error: string | null }>(
    `select a.outcome, a.error from webhook_event_attempts a
     join webhook_events w on w.id = a.event_row_id where w.event_id = $1 order by a.id`,
    [eventId],
  );
  return rows;
}

describe('a group of jobs in one transaction', () => {
  it('fails only the job whose handler throws, undoing its writes, and commits the others once', async () => {
    let thrown = false;
    const worker = startWorker(async (event, context) => {
      await credit(event, context);
      if (event.eventId === 'g1_c' && !thrown) {
        thrown = true;
        throw new Error('card network down');
      }
    });
    try {
      for (const [name, amount] of [
        ['a', 10],
        ['b', 20],
        ['c', 30],
        ['d', 40],
      ] as const) {
        await queuePayment(`g1_${name}`, `cus_g1_${name}`, amount);
      }
      for (const name of ['a', 'b', 'c', 'd']) {
        await waitForEventStatus(env, `g1_${name}`, 'processed');
      }
      // The first four handler calls shared one transaction: they were one group.
      const firstGroup = worker.calls.slice(0, 4);
      expect(new Set(firstGroup.map((call) => call.eventId)).size).toBe(4);
      expect(new Set(firstGroup.map((call) => call.txid)).size).toBe(1);

      for (const [name, amount] of [
        ['a', 10],
        ['b', 20],
        ['d', 40],
      ] as const) {
        expect(await eventState(env, `g1_${name}`)).toMatchObject({ attempts: 1 });
        expect(callsOf(worker.calls, `g1_${name}`)).toBe(1);
        expect(await accountBalance(env, `cus_g1_${name}`)).toBe(amount);
      }
      // Its credit in the failed attempt was rolled back with its savepoint: credited once.
      expect(await eventState(env, 'g1_c')).toMatchObject({ attempts: 2, last_error: null });
      expect(await accountBalance(env, 'cus_g1_c')).toBe(30);
      expect(await attemptOutcomes('g1_c')).toEqual([
        { outcome: 'failed', error: 'Error: card network down' },
        { outcome: 'processed', error: null },
      ]);
    } finally {
      await worker.close();
    }
  });

  it('gives each subscriber of each event its own savepoint: one that throws undoes only its writes', async () => {
    let thrown = false;
    const mirror: Handler = async (event, context) => {
      const { data } = event.payload as { data: { customer_id: string; amount: number } };
      await context.tx.execute(sql`insert into accounts (id, balance)
        values (${`mirror_${data.customer_id}`}, ${data.amount})
        on conflict (id) do update set balance = accounts.balance + excluded.balance`);
      if (event.eventId === 'g5_c' && !thrown) {
        thrown = true;
        throw new Error('mirror down');
      }
    };
    // Queued before the worker starts, so the first group holds all four however slow the queuing.
    const names = ['a', 'b', 'c', 'd'];
    for (const [i, name] of names.entries()) {
      await queuePayment(`g5_${name}`, `cus_g5_${name}`, 10 * (i + 1));
    }
    const worker = startWorker(credit, { mirror });
    try {
      for (const name of names) await waitForEventStatus(env, `g5_${name}`, 'processed');
      // Both subscribers of all four events ran in one transaction: one group.
      const firstGroup = worker.calls.slice(0, 8);
      expect(new Set(firstGroup.map((call) => call.txid)).size).toBe(1);
      expect(firstGroup.map((call) => call.subscriber)).toEqual(
        names.flatMap(() => ['default', 'mirror']),
      );
      // The retry ran only the subscriber that failed.
      expect(worker.calls.slice(8).map(({ eventId, subscriber }) => [eventId, subscriber])).toEqual(
        [['g5_c', 'mirror']],
      );
      for (const [i, name] of names.entries()) {
        expect(await accountBalance(env, `cus_g5_${name}`)).toBe(10 * (i + 1));
        expect(await accountBalance(env, `mirror_cus_g5_${name}`)).toBe(10 * (i + 1));
      }
      expect(await eventState(env, 'g5_c')).toMatchObject({ attempts: 2, last_error: null });
      expect(await attemptOutcomes('g5_c')).toEqual([
        { outcome: 'failed', error: 'Error: mirror down' },
        { outcome: 'processed', error: null },
      ]);
    } finally {
      await worker.close();
    }
  });

  it('fails a handler past its deadline alone; the rest of its group runs again without spending an attempt', async () => {
    const deadlineMs = 1_000;
    let hung = false;
    const worker = startWorker(
      async (event, context) => {
        if (event.eventId === 'g2_b' && !hung) {
          hung = true;
          await new Promise(() => {});
        }
        await credit(event, context);
      },
      { deadlineMs },
    );
    try {
      await queuePayment('g2_a', 'cus_g2_a', 11);
      await queuePayment('g2_b', 'cus_g2_b', 22);
      await queuePayment('g2_c', 'cus_g2_c', 33);
      for (const name of ['a', 'b', 'c']) {
        await waitForEventStatus(env, `g2_${name}`, 'processed');
      }
      expect(await eventState(env, 'g2_b')).toMatchObject({ attempts: 2 });
      expect((await attemptOutcomes('g2_b'))[0]?.error).toMatch(
        /^HandlerTimeoutError: the attempt did not finish within 1000 ms/,
      );
      for (const [name, amount] of [
        ['a', 11],
        ['b', 22],
        ['c', 33],
      ] as const) {
        expect(await accountBalance(env, `cus_g2_${name}`)).toBe(amount);
      }
      for (const name of ['a', 'c']) {
        expect(await eventState(env, `g2_${name}`)).toMatchObject({ attempts: 1 });
        expect(await attemptOutcomes(`g2_${name}`)).toEqual([
          { outcome: 'processed', error: null },
        ]);
      }
      // The abandoned group's connection was destroyed, not left holding its transaction.
      await waitFor(async () => {
        const [open] = await env.db.rows<{ n: number }>(
          `select count(*)::int as n from pg_stat_activity
           where datname = current_database() and state like 'idle in transaction%'`,
        );
        return open?.n === 0 ? true : undefined;
      });
    } finally {
      await worker.close();
    }
  });

  it('runs two jobs of one row handed over together once, one after the other', async () => {
    const worker = startWorker(credit);
    try {
      const rowId = await queuePayment('g3_dup', 'cus_g3', 5);
      await env.queue.add(
        WEBHOOK_JOB_NAME,
        { v: 1, rowId, source: 'payments' },
        { jobId: `dup-${rowId}` },
      );
      await queuePayment('g3_other', 'cus_g3_other', 6);
      await waitFor(async () => (worker.outcomes.length === 3 ? true : undefined), {
        what: 'three jobs to complete',
      });
      expect(callsOf(worker.calls, 'g3_dup')).toBe(1);
      expect(await eventState(env, 'g3_dup')).toMatchObject({ status: 'processed', attempts: 1 });
      expect(await accountBalance(env, 'cus_g3')).toBe(5);
      const outcomeOf = (jobId: string) =>
        worker.outcomes.find((outcome) => outcome.jobId === jobId)?.outcome;
      expect([outcomeOf(jobIdFor(rowId)), outcomeOf(`dup-${rowId}`)].sort()).toEqual([
        'already_done',
        'processed',
      ]);
    } finally {
      await worker.close();
    }
  });

  it('runs a handler undone by a deadlock with another group again, without spending an attempt', async () => {
    // Two groups, each crediting one account and then the other's: a1 and b1 take X and Y and
    // hold them (uncommitted) while a2 wants Y and b2 wants X. All four are queued before the
    // worker starts, so the groups are (a1, a2) and (b1, b2) however slow the queuing is, and
    // the hold outlasts the time the second group takes to start.
    await queuePayment('g4_a1', 'cus_g4_x', 1);
    await queuePayment('g4_a2', 'cus_g4_y', 2);
    await queuePayment('g4_b1', 'cus_g4_y', 4);
    await queuePayment('g4_b2', 'cus_g4_x', 8);
    const worker = startWorker(
      async (event, context) => {
        await credit(event, context);
        if (event.eventId.endsWith('1')) await new Promise((resolve) => setTimeout(resolve, 1_000));
      },
      { groupSize: 2 },
    );
    try {
      for (const name of ['a1', 'a2', 'b1', 'b2']) {
        await waitForEventStatus(env, `g4_${name}`, 'processed');
        expect(await eventState(env, `g4_${name}`)).toMatchObject({ attempts: 1 });
        expect(await attemptOutcomes(`g4_${name}`)).toEqual([
          { outcome: 'processed', error: null },
        ]);
      }
      expect(await accountBalance(env, 'cus_g4_x')).toBe(9);
      expect(await accountBalance(env, 'cus_g4_y')).toBe(6);
      // The deadlock's victim ran its handler a second time, in a later group.
      expect(worker.calls.length).toBe(5);
    } finally {
      await worker.close();
    }
  });
});

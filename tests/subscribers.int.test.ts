import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { webhookJob } from '@webhook-inbox/queue';
import {
  createTestEnvironment,
  paymentEvent,
  storeAndQueue,
  type TestEnvironment,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { defineHandlers, type Handler } from '@webhook-inbox/worker';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { workerFor } from '../packages/worker/test/support.ts';
import { runCli } from './cli-process.ts';

// Fan-out to named in-process subscribers, each exactly once and independently: a worker runs
// them, the CLI replays them, and a table of effects counts what each one committed.

const RETRY = { attempts: 3, backoffMs: 100 };

let env: TestEnvironment;
let cliEnv: Record<string, string>;

beforeAll(async () => {
  env = await createTestEnvironment();
  await env.db.rows('create table effects (subscriber text not null, event_id text not null)');
  const sources = join(mkdtempSync(join(tmpdir(), 'wi-subscribers-')), 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify([{ name: 'payments', provider: 'hmac', secret: 'unused', retry: RETRY }]),
  );
  cliEnv = {
    DATABASE_URL: env.databaseUrl,
    REDIS_URL: env.redisUrl,
    QUEUE_PREFIX: env.queuePrefix,
    SOURCES_FILE: sources,
  };
});
afterAll(async () => {
  await env.cleanup();
});

/** Subscribers that can be broken, as a deploy can break one team's handler and not another's. */
const broken = new Set<string>();

/** Writes its effect, then throws if broken: the write must be undone with its savepoint. */
const effect: Handler = async (event, { tx, subscriber }) => {
  await tx.execute(
    sql`insert into effects (subscriber, event_id) values (${subscriber}, ${event.eventId})`,
  );
  if (broken.has(subscriber)) throw new Error(`${subscriber} is down`);
};

const handlers = defineHandlers()
  .on('payments', 'payment.*', effect, { name: 'books' })
  .on('payments', 'payment.succeeded', effect, { name: 'crm' })
  .on('payments', '*', effect, { name: 'audit' })
  // Less specific than audit's own pattern for this type: never runs for a payment.
  .on('payments', 'refund.*', effect, { name: 'refunds' });

async function effects(eventId: string) {
  const rows = await env.db.rows<{ subscriber: string; n: number }>(
    `select subscriber, count(*)::int as n from effects where event_id = $1
     group by subscriber order by subscriber`,
    [eventId],
  );
  return Object.fromEntries(rows.map((row) => [row.subscriber, row.n]));
}

async function ledger(rowId: number) {
  const rows = await env.db.rows<{ subscriber: string; status: string; attempts: number }>(
    `select subscriber, status, attempts from event_subscribers where event_row_id = $1
     order by subscriber`,
    [rowId],
  );
  return Object.fromEntries(rows.map(({ subscriber, ...row }) => [subscriber, row]));
}

const queuePayment = (eventId: string, retry = RETRY) =>
  storeAndQueue(env, { eventId, body: JSON.stringify(paymentEvent('cus_1', 5, eventId)) }, retry);

describe('an event with several subscribers', () => {
  it('commits each subscriber once, lets the failing ones die alone, and replays one alone', async () => {
    const worker = workerFor(env, handlers);
    try {
      broken.add('crm').add('audit');
      const rowId = await queuePayment('fan_1');
      const dead = await waitForEventStatus(env, 'fan_1', 'dead');
      expect(dead.attempts).toBe(RETRY.attempts);
      expect(dead.last_error).toMatch(/subscriber "crm": Error: crm is down; subscriber "audit"/);
      // books committed at the first attempt and never ran again; the others' writes were undone.
      expect(await effects('fan_1')).toEqual({ books: 1 });
      const shown = await runCli(['show', String(rowId), '--json'], cliEnv);
      expect(JSON.parse(shown.stdout).subscribers).toMatchObject([
        { subscriber: 'audit', status: 'dead', attempts: 3, lastError: 'Error: audit is down' },
        { subscriber: 'books', status: 'processed', attempts: 1, lastError: null },
        { subscriber: 'crm', status: 'dead', attempts: 3, lastError: 'Error: crm is down' },
      ]);
      const table = await runCli(['show', String(rowId)], cliEnv);
      expect(table.stdout).toMatch(/subscribers[\s\S]*crm\s.*dead\s.*3\s.*Error: crm is down/);
      expect(await ledger(rowId)).toEqual({
        audit: { status: 'dead', attempts: 3 },
        books: { status: 'processed', attempts: 1 },
        crm: { status: 'dead', attempts: 3 },
      });

      broken.delete('crm');
      const refused = await runCli(['replay', String(rowId), '--subscriber', 'books'], cliEnv);
      expect(refused.code).toBe(1);
      expect(refused.stdout).toMatch(/subscriber "books" processed it/);

      const filter = ['--source', 'payments', '--status', 'dead', '--json'];
      const dry = await runCli(['replay', ...filter, '--subscriber', 'crm', '--dry-run'], cliEnv);
      expect(JSON.parse(dry.stdout)).toEqual({ matching: 1, replayable: 1 });
      const dryBooks = await runCli(
        ['replay', ...filter, '--subscriber', 'books', '--dry-run'],
        cliEnv,
      );
      expect(JSON.parse(dryBooks.stdout)).toEqual({ matching: 1, replayable: 0 });

      const replayed = await runCli(['replay', String(rowId), '--subscriber', 'crm'], cliEnv);
      expect(replayed.stderr).toBe('');
      expect(replayed.code).toBe(0);
      // audit died and was not named: it stays dead, skipped, and so does the event.
      const afterCrm = await waitFor(
        async () => ((await ledger(rowId)).crm?.status === 'processed' ? ledger(rowId) : undefined),
        { what: 'crm to be processed' },
      );
      expect(afterCrm).toEqual({
        audit: { status: 'dead', attempts: 3 },
        books: { status: 'processed', attempts: 1 },
        crm: { status: 'processed', attempts: 1 },
      });
      expect(await waitForEventStatus(env, 'fan_1', 'dead')).toMatchObject({
        last_error: expect.stringContaining('"audit" died at an earlier attempt'),
      });
      expect(await effects('fan_1')).toEqual({ books: 1, crm: 1 });

      // Replaying the event runs what failed on it, and never what is done.
      broken.delete('audit');
      const all = await runCli(['replay', String(rowId)], cliEnv);
      expect(all.code).toBe(0);
      await waitForEventStatus(env, 'fan_1', 'processed');
      expect(await effects('fan_1')).toEqual({ audit: 1, books: 1, crm: 1 });
      expect((await ledger(rowId)).audit).toEqual({ status: 'processed', attempts: 1 });
    } finally {
      broken.clear();
      await worker.close();
    }
  });

  it('never runs a done subscriber again, however often the event is delivered', async () => {
    const worker = workerFor(env, handlers);
    try {
      broken.add('crm');
      // A long backoff: the event's own job waits while the duplicates run.
      const rowId = await queuePayment('dup_1', { attempts: 5, backoffMs: 60_000 });
      await waitFor(
        async () => ((await ledger(rowId)).crm?.status === 'failed' ? true : undefined),
        {
          what: 'crm to fail once',
        },
      );
      // Duplicate jobs of one row, as a relay that lost track of Redis would add them; one
      // that fails waits out the same long backoff.
      const duplicate = async (jobId: string) => {
        const job = webhookJob({ rowId, source: 'payments' }, { attempts: 5, backoffMs: 60_000 });
        await env.queue.add(job.name, job.data, { ...job.opts, jobId });
        return waitFor(
          async () => {
            const added = await env.queue.getJob(jobId);
            const state = await added?.getState();
            return state === 'completed' || state === 'delayed' ? { state, job: added } : undefined;
          },
          { what: `${jobId} to end its attempt` },
        );
      };
      for (const jobId of ['dup-a', 'dup-b']) {
        expect((await duplicate(jobId)).state).toBe('delayed');
      }
      expect((await ledger(rowId)).crm).toEqual({ status: 'failed', attempts: 3 });
      broken.delete('crm');
      expect((await duplicate('dup-c')).job?.returnvalue).toBe('processed');
      expect((await duplicate('dup-d')).job?.returnvalue).toBe('already_done');
      expect(await waitForEventStatus(env, 'dup_1', 'processed')).toBeDefined();
      expect(await effects('dup_1')).toEqual({ audit: 1, books: 1, crm: 1 });
    } finally {
      broken.clear();
      await worker.close();
    }
  });

  it('gives up at once a subscriber no retry can fix, while another retries', async () => {
    let flakyFailed = false;
    const strictAndFlaky = defineHandlers()
      .on(
        'payments',
        'payment.succeeded',
        z.object({ data: z.object({ invoice: z.string() }) }),
        effect,
        { name: 'strict' },
      )
      .on(
        'payments',
        'payment.succeeded',
        async (event, context) => {
          await effect(event, context);
          if (!flakyFailed) {
            flakyFailed = true;
            throw new Error('flaky is down');
          }
        },
        { name: 'flaky' },
      );
    const worker = workerFor(env, strictAndFlaky);
    try {
      const rowId = await queuePayment('strict_1');
      const dead = await waitForEventStatus(env, 'strict_1', 'dead');
      expect(dead).toMatchObject({
        attempts: 2,
        last_error: 'subscriber "strict" died at an earlier attempt; replay it to run it again',
      });
      expect(await ledger(rowId)).toEqual({
        flaky: { status: 'processed', attempts: 2 },
        strict: { status: 'dead', attempts: 1 },
      });
      expect(await effects('strict_1')).toEqual({ flaky: 1 });
    } finally {
      await worker.close();
    }
  });

  it('writes no ledger row for an event whose one subscriber succeeds at once', async () => {
    const single = defineHandlers().on('payments', 'payment.succeeded', effect);
    const worker = workerFor(env, single);
    try {
      const rowId = await queuePayment('single_1');
      await waitForEventStatus(env, 'single_1', 'processed');
      expect(await effects('single_1')).toEqual({ default: 1 });
      expect(await ledger(rowId)).toEqual({});
    } finally {
      await worker.close();
    }
  });

  it('refuses a subscriber name the ledger could not hold, naming the rule', async () => {
    const run = await runCli(['replay', '1', '--subscriber', 'Not A Name'], cliEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--subscriber: a subscriber's name is lower-case letters/);
  });
  it('runs a subscriber with a payload filter only for the events whose payload it selects', async () => {
    const byCustomer = defineHandlers()
      .on('payments', 'payment.*', effect, { name: 'books' })
      .on('payments', 'payment.succeeded', effect, {
        name: 'vip',
        payload: 'data.customer_id = cus_vip',
      })
      .on('payments', '*', effect, {
        name: 'big',
        payload: { data: { currency: 'INR', amount: 5000 } },
      });
    const worker = workerFor(env, byCustomer);
    try {
      const store = (eventId: string, customer: string, amount: number) =>
        storeAndQueue(
          env,
          { eventId, body: JSON.stringify(paymentEvent(customer, amount, eventId)) },
          RETRY,
        );
      const vip = await store('sel_vip', 'cus_vip', 5);
      const big = await store('sel_big', 'cus_2', 5000);
      await store('sel_plain', 'cus_3', 5);
      for (const eventId of ['sel_vip', 'sel_big', 'sel_plain']) {
        await waitForEventStatus(env, eventId, 'processed');
      }
      expect(await effects('sel_vip')).toEqual({ books: 1, vip: 1 });
      expect(await effects('sel_big')).toEqual({ big: 1, books: 1 });
      expect(await effects('sel_plain')).toEqual({ books: 1 });
      // Only the subscribers that ran are in the ledger: the others never had the event.
      expect(Object.keys(await ledger(vip))).toEqual(['books', 'vip']);
      expect(Object.keys(await ledger(big))).toEqual(['big', 'books']);
    } finally {
      await worker.close();
    }
  });
});

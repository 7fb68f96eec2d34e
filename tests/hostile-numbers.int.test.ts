import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_PAYLOAD_READ_BYTES } from '@webhook-inbox/inbox';
import { addJobs, webhookJob } from '@webhook-inbox/queue';
import {
  dashboardFor,
  environmentPerFile,
  eventState,
  ingressFor,
  OperatorClient,
  PAYMENTS_SECRET,
  paymentEvent,
  signedPayment,
  storeRow,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { defineHandlers } from '@webhook-inbox/worker';
import { describe, expect, it } from 'vitest';
import { workerFor } from '../packages/worker/test/support.ts';
import { runCli } from './cli-process.ts';

// jsonb keeps numbers exact: `1e131071` is 8 bytes sent and 131,072 digits on every read.

const HUGE = '1e131071';
/** Enough huge numbers that the stored payload prints past the read limit. */
const HUGE_COUNT = Math.ceil(MAX_PAYLOAD_READ_BYTES / 131_072) + 8;

function hostileBody(eventId: string): string {
  const amounts = Array.from({ length: HUGE_COUNT }, () => HUGE).join(',');
  return JSON.stringify({ ...paymentEvent('cus_hostile', 1, eventId), amounts: 0 }).replace(
    '"amounts":0',
    `"amounts":[${amounts}]`,
  );
}

const env = environmentPerFile();

/** A row as one stored before the ingress refused such bodies would be: written directly. */
const storeDirectly = async (eventId: string, body: string) =>
  (await storeRow(env, { eventId, body })).rowId;

function cli(args: string[]) {
  const sources = join(mkdtempSync(join(tmpdir(), 'wi-hostile-')), 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify([{ name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET }]),
  );
  return runCli(
    args,
    {
      DATABASE_URL: env.databaseUrl,
      REDIS_URL: env.redisUrl,
      QUEUE_PREFIX: env.queuePrefix,
      SOURCES_FILE: sources,
    },
    60_000,
  );
}

describe('numbers that print far larger than they are sent', () => {
  it('refuses a signed body with a huge exponent: a short 400, nothing stored', async () => {
    const app = ingressFor(env);
    try {
      const body = JSON.stringify({ ...paymentEvent('cus_n', 1, 'evt_huge_exp'), n: 0 }).replace(
        '"n":0',
        `"n":[${HUGE},-2.5E-400]`,
      );
      const refused = await app.inject(signedPayment(body));
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({
        error: 'body has a number with an exponent beyond ±308 or over 100 digits',
      });
      const manyDigits = JSON.stringify({
        ...paymentEvent('cus_n', 1, 'evt_digits'),
        n: 0,
      }).replace('"n":0', `"n":1.${'3'.repeat(100)}`);
      expect((await app.inject(signedPayment(manyDigits))).statusCode).toBe(400);
      const fits = JSON.stringify({
        ...paymentEvent('cus_n', 1, 'evt_fits'),
        n: 0,
        s: '1e999',
      }).replace('"n":0', `"n":[1e308,-1.5e-308,${'7'.repeat(99)}]`);
      expect((await app.inject(signedPayment(fits))).statusCode).toBe(200);
      expect(await eventState(env, 'evt_huge_exp')).toBeUndefined();
      expect(await eventState(env, 'evt_digits')).toBeUndefined();
      expect(await eventState(env, 'evt_fits')).toBeDefined();
    } finally {
      await app.close();
    }
  });

  it('fails a stored row too large to read as dead, and goes on with the other events', async () => {
    const hostileId = await storeDirectly('evt_hostile', hostileBody('evt_hostile'));
    const fineId = await storeDirectly(
      'evt_fine',
      JSON.stringify(paymentEvent('cus_ok', 1, 'evt_fine')),
    );
    const handled: string[] = [];
    const worker = workerFor(
      env,
      defineHandlers().on('payments', 'payment.succeeded', async (event) => {
        handled.push(event.eventId);
      }),
    );
    try {
      const retry = { attempts: 3, backoffMs: 20 };
      await addJobs(env.queue, [
        webhookJob({ rowId: hostileId, source: 'payments' }, retry),
        webhookJob({ rowId: fineId, source: 'payments' }, retry),
      ]);
      const dead = await waitForEventStatus(env, 'evt_hostile', 'dead');
      expect(dead.attempts).toBe(1);
      expect(dead.last_error).toMatch(/prints as \d+ bytes, over the \d+-byte read limit/);
      await waitForEventStatus(env, 'evt_fine', 'processed');
      expect(handled).toContain('evt_fine');
      expect(handled).not.toContain('evt_hostile');
    } finally {
      await worker.close();
    }
  });

  it('shows such a row in the dashboard and the CLI without its payload', async () => {
    const rowId = await storeDirectly('evt_hostile_show', hostileBody('evt_hostile_show'));
    const dashboard = await dashboardFor(env);
    try {
      const operator = new OperatorClient(dashboard);
      expect((await operator.logIn()).statusCode).toBe(303);
      const api = await operator.get(`/api/events/${rowId}`);
      expect(api.statusCode).toBe(200);
      expect(api.json().event).toMatchObject({
        eventId: 'evt_hostile_show',
        payload: null,
        payloadTooLarge: true,
      });
      const page = await operator.get(`/events/${rowId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('data-testid="payload-too-large"');
    } finally {
      await dashboard.close();
    }
    const shown = await cli(['show', String(rowId)]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toContain('not shown: it prints past the read limit');
  });
});

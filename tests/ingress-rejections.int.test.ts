import { createDb } from '@webhook-inbox/db';
import { createIngressMetrics, createRegistry } from '@webhook-inbox/metrics';
import {
  environmentPerFile,
  ingressFor,
  ingressWithoutRedis,
  PAYMENTS_SECRET,
  POLKA_KEY,
  signedPayment,
  signHmacSha256,
  sourcesFrom,
} from '@webhook-inbox/testing';
import { defineHandlers } from '@webhook-inbox/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workerFor } from '../packages/worker/test/support.ts';
import { samples } from './metrics.ts';

const env = environmentPerFile();
let app: ReturnType<typeof ingressFor>;
let worker: ReturnType<typeof workerFor>;
let handlerRuns = 0;
const registry = createRegistry();

const NOW = new Date('2026-06-01T12:00:00Z');

beforeAll(async () => {
  const sources = sourcesFrom([
    { name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET },
    {
      name: 'timed',
      provider: 'hmac',
      secrets: ['old_secret', PAYMENTS_SECRET],
      options: { timestampField: 'occurred_at', toleranceSeconds: 300 },
    },
    { name: 'polka', provider: 'api-key', secret: POLKA_KEY, options: { typeField: 'event' } },
  ]);
  app = ingressFor(env, {
    sources,
    bodyLimit: 4096,
    now: () => NOW,
    metrics: createIngressMetrics(registry, sources.keys()),
  });
  const countRuns = async () => {
    handlerRuns += 1;
  };
  worker = workerFor(
    env,
    defineHandlers()
      .on('payments', '*', countRuns)
      .on('timed', '*', countRuns)
      .on('polka', '*', countRuns),
  );
});

afterAll(async () => {
  await app.close();
  await worker.close();
});

async function expectNothingStored() {
  const [rows] = await env.db.rows<{ n: number }>('select count(*)::int as n from webhook_events');
  expect(rows?.n).toBe(0);
  const counts = await env.queue.getJobCounts();
  expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  expect(handlerRuns).toBe(0);
}

function post(url: string, body: string | Buffer, headers: Record<string, string>) {
  return app.inject({ method: 'POST', url, payload: body, headers });
}

const event = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ id: 'evt_bad', type: 'payment.succeeded', data: {}, ...extra });

const json = { 'content-type': 'application/json' };
const signed = (body: string | Buffer, secret = PAYMENTS_SECRET) => ({
  ...json,
  'x-signature': signHmacSha256(body, secret),
});

const VERIFY_FAILED = { error: 'signature verification failed' };

describe('bad input never reaches a handler', () => {
  const cases: Array<[string, () => ReturnType<typeof post>, number, unknown?]> = [
    ['unknown source', () => post('/webhooks/nope', event(), signed(event())), 404],
    ['missing signature', () => post('/webhooks/payments', event(), json), 401, VERIFY_FAILED],
    [
      'wrong secret',
      () => post('/webhooks/payments', event(), signed(event(), 'guess')),
      401,
      VERIFY_FAILED,
    ],
    [
      'garbled signature',
      () => post('/webhooks/payments', event(), { ...json, 'x-signature': 'sha256=zz-not-hex' }),
      401,
      VERIFY_FAILED,
    ],
    [
      'signature without its prefix',
      () =>
        post('/webhooks/payments', event(), {
          ...json,
          'x-signature': signHmacSha256(event(), PAYMENTS_SECRET).slice(7),
        }),
      401,
      VERIFY_FAILED,
    ],
    [
      'tampered body',
      () => post('/webhooks/payments', event({ amount: 2 }), signed(event())),
      401,
      VERIFY_FAILED,
    ],
    [
      'stale timestamp',
      () => {
        const body = event({ occurred_at: new Date(NOW.getTime() - 301_000).toISOString() });
        return post('/webhooks/timed', body, signed(body));
      },
      401,
      VERIFY_FAILED,
    ],
    [
      'timestamp from the future',
      () => {
        const body = event({ occurred_at: Math.floor(NOW.getTime() / 1000) + 301 });
        return post('/webhooks/timed', body, signed(body));
      },
      401,
      VERIFY_FAILED,
    ],
    [
      'missing timestamp where one is required',
      () => post('/webhooks/timed', event(), signed(event())),
      401,
      VERIFY_FAILED,
    ],
    [
      'body too large',
      () => post('/webhooks/payments', event({ pad: 'x'.repeat(5000) }), signed('too large')),
      413,
    ],
    [
      'wrong content type',
      () =>
        post('/webhooks/payments', event(), { ...signed(event()), 'content-type': 'text/plain' }),
      415,
    ],
    [
      'form content type',
      () =>
        post('/webhooks/payments', event(), {
          ...signed(event()),
          'content-type': 'application/x-www-form-urlencoded',
        }),
      415,
    ],
    [
      'malformed JSON, correctly signed',
      () => post('/webhooks/payments', '{"id":', signed('{"id":')),
      400,
    ],
    [
      'invalid UTF-8, correctly signed',
      () => {
        const body = Buffer.from([0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
        return post('/webhooks/payments', body, signed(body));
      },
      400,
    ],
    ['empty body, correctly signed', () => post('/webhooks/payments', '', signed('')), 400],
    [
      'no event ID',
      () => {
        const body = JSON.stringify({ type: 'payment.succeeded' });
        return post('/webhooks/payments', body, signed(body));
      },
      400,
    ],
    [
      'a JSON array instead of an event',
      () => post('/webhooks/payments', '[1,2]', signed('[1,2]')),
      400,
    ],
    [
      'a NUL escape Postgres cannot store',
      () => {
        const body = event({ note: '\u0000' });
        return post('/webhooks/payments', body, signed(body));
      },
      400,
    ],
    [
      'JSON nested deeper than the limit, correctly signed',
      () => {
        const body = event({ data: JSON.parse(`${'['.repeat(200)}${']'.repeat(200)}`) });
        return post('/webhooks/payments', body, signed(body));
      },
      400,
      { error: 'body nests deeper than 128 levels' },
    ],
    [
      'an event ID longer than 256 characters, correctly signed',
      () => {
        const body = event({ id: `evt_${'x'.repeat(253)}` });
        return post('/webhooks/payments', body, signed(body));
      },
      400,
      { error: 'event ID is longer than 256 characters' },
    ],
    [
      'an event type longer than 256 characters, correctly signed',
      () => {
        const body = event({ type: 't'.repeat(257) });
        return post('/webhooks/payments', body, signed(body));
      },
      400,
      { error: 'event type is longer than 256 characters' },
    ],
    [
      'a compressed body',
      () => post('/webhooks/payments', event(), { ...signed(event()), 'content-encoding': 'gzip' }),
      415,
      { error: 'send the body uncompressed: the signature covers the bytes as sent' },
    ],
    [
      'wrong api key',
      () => post('/webhooks/polka', event(), { ...json, authorization: 'ApiKey wrong' }),
      401,
      VERIFY_FAILED,
    ],
    [
      'api key without its scheme',
      () => post('/webhooks/polka', event(), { ...json, authorization: POLKA_KEY }),
      401,
      VERIFY_FAILED,
    ],
    ['missing api key', () => post('/webhooks/polka', event(), json), 401, VERIFY_FAILED],
  ];

  it.each(cases)(
    '%s → its status, a JSON error, nothing stored',
    async (_name, send, status, body) => {
      const response = await send();
      expect(response.statusCode).toBe(status);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      const error = response.json();
      expect(typeof error.error).toBe('string');
      expect(error.error.length).toBeLessThan(80);
      if (body) expect(error).toEqual(body);
      expect(response.body).not.toContain(PAYMENTS_SECRET);
      await expectNothingStored();
    },
  );
});

describe('failed verifications', () => {
  it('are counted by source and reason', async () => {
    // Every case above has run: the counts say what kind of failure each was.
    const counts: Record<string, Record<string, number>> = {};
    for (const { labels, value } of samples(
      await registry.metrics(),
      'webhook_verification_failures_total',
    )) {
      const source = labels.source ?? '';
      counts[source] = { ...counts[source], [labels.reason ?? '']: value };
    }
    expect(counts).toEqual({
      payments: {
        missing_signature: 1,
        no_matching_secret: 2,
        malformed_signature: 2,
        malformed_body: 8,
      },
      timed: { stale_timestamp: 2, malformed_signature: 1 },
      polka: { no_matching_secret: 2, missing_signature: 1 },
    });
  });
});

describe('when a backing service is unreachable', () => {
  it('answers 503 with Retry-After when Postgres cannot be reached, never a 2xx', async () => {
    const deadDb = createDb('postgres://postgres@127.0.0.1:1/webhooks', {
      connectTimeoutMs: 2_000,
    });
    const offline = ingressFor(env, { db: deadDb, bodyLimit: 4096 });
    try {
      const response = await offline.inject(signedPayment(event()));
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toEqual({ error: 'temporarily unavailable, retry later' });
      const ready = await offline.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json()).toEqual({ ok: false, postgres: false, redis: true });
    } finally {
      await offline.close();
      await deadDb.close();
    }
  });

  it('still acks a committed event when Redis cannot be reached', async () => {
    const offline = ingressWithoutRedis(env);
    try {
      const body = event({ id: 'evt_no_redis' });
      const response = await offline.app.inject(signedPayment(body));
      expect(response.statusCode).toBe(200);
      const [row] = await env.db.rows<{ status: string }>(
        "select status from webhook_events where event_id = 'evt_no_redis'",
      );
      expect(row?.status).toBe('received');
      const ready = await offline.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.json()).toEqual({ ok: false, postgres: true, redis: false });
    } finally {
      await offline.close();
      await env.db.rows('delete from webhook_events');
    }
  });

  it('reports ready when both are reachable', async () => {
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ ok: true, postgres: true, redis: true });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).json()).toEqual({ ok: true });
  });
});

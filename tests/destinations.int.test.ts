import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlers as example } from '@webhook-inbox/example-payments';
import { loadIngressSources } from '@webhook-inbox/ingress';
import { createDeliveryQueue } from '@webhook-inbox/queue';
import {
  accountBalance,
  environmentPerFile,
  ingressFor,
  PAYMENTS_SECRET,
  paymentEvent,
  signedPayment,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import { defineHandlers, type Handler, type RunningWorker } from '@webhook-inbox/worker';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destinationsWorker } from './support.ts';

const SECRET_A = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const SECRET_B = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
const SECRET_C = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
const SECRET_VIP = `whsec_${Buffer.alloc(32, 4).toString('base64')}`;

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A destination that records every request and answers each with the next of `statuses`. */
async function destination(statuses: number[], last: number) {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.statusCode = statuses.shift() ?? last;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const verified = (secret: string, { body, headers }: Received) =>
  new Webhook(secret).verify(body, headers as Record<string, string>);

const env = environmentPerFile();

/** A second in-process subscriber beside the example's credit: it records each event it ran for. */
const audit: Handler = async (event, { tx }) => {
  await tx.execute(sql`insert into audit (event_id) values (${event.eventId})`);
};
const handlers = defineHandlers()
  .on('payments', 'payment.succeeded', example.find('payments', 'payment.succeeded') as Handler)
  .on('payments', 'payment.*', audit, { name: 'audit' });
let a: Awaited<ReturnType<typeof destination>>;
let vip: Awaited<ReturnType<typeof destination>>;
let b: Awaited<ReturnType<typeof destination>>;
let c: Awaited<ReturnType<typeof destination>>;
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  [a, b, c, vip] = await Promise.all([
    destination([500], 200),
    destination([], 200),
    destination([], 410),
    destination([], 200),
  ]);
  const retry = { attempts: 3, baseMs: 50, capMs: 100 };
  const file = join(mkdtempSync(join(tmpdir(), 'wi-destinations-')), 'sources.json');
  writeFileSync(
    file,
    JSON.stringify([
      {
        name: 'payments',
        provider: 'hmac',
        secret: PAYMENTS_SECRET,
        destinations: [
          { name: 'a', url: a.url, secret: SECRET_A, retry },
          { name: 'b', url: b.url, secret: SECRET_B, retry, types: ['payment.*'] },
          { name: 'c', url: c.url, secret: SECRET_C, retry, types: ['refund.created'] },
          {
            name: 'vip',
            url: vip.url,
            secret: SECRET_VIP,
            retry,
            types: ['payment.*'],
            payload: 'data.customer_id = cus_vip',
          },
        ],
      },
    ]),
  );
  const deliveryQueue = createDeliveryQueue(env.redis, env.queuePrefix);
  const ingress = ingressFor(env, { sources: loadIngressSources(file, {}), deliveryQueue });
  await env.db.rows('create table audit (event_id text not null)');
  worker = await destinationsWorker(env, file, handlers);
  closers.push(
    () => ingress.close(),
    () => deliveryQueue.close(),
    () => worker.close(),
    () => a.close(),
    () => b.close(),
    () => c.close(),
    () => vip.close(),
  );
  app = ingress;
}, 30_000);

afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

let app: FastifyInstance;
let worker: RunningWorker;

/** A payments event, signed as its provider would, with extra request headers. */
function inject(body: string, headers: Record<string, string> = {}) {
  const request = signedPayment(body);
  return app.inject({ ...request, headers: { ...request.headers, ...headers } });
}

function ledger(eventId: string) {
  return env.db.rows<{ destination: string; status: string; attempts: number }>(
    `select d.destination, d.status, d.attempts from event_deliveries d
     join webhook_events e on e.id = d.event_row_id where e.event_id = $1 order by d.destination`,
    [eventId],
  );
}

describe('HTTP destinations, end to end', () => {
  it('fans an event out to two subscribers, each once, and to each matching destination, retrying a 500 under the same webhook-id', async () => {
    const event = paymentEvent('cus_dest', 100);
    const body = JSON.stringify(event);
    const response = await inject(body, { authorization: 'Bearer provider-credential' });
    expect(response.statusCode).toBe(200);

    const rows = await waitFor(
      async () => {
        const found = await ledger(event.id);
        return found.length === 2 && found.every((row) => row.status === 'delivered')
          ? found
          : undefined;
      },
      { timeoutMs: 15_000, what: 'both deliveries to be delivered' },
    );
    // c's types do not match payment.succeeded: no ledger row, no request.
    expect(rows).toEqual([
      { destination: 'a', status: 'delivered', attempts: 2 },
      { destination: 'b', status: 'delivered', attempts: 1 },
    ]);
    expect(a.received).toHaveLength(2);
    expect(b.received).toHaveLength(1);
    const [first, second] = a.received as [Received, Received];
    expect(first.headers['webhook-id']).toBe(second.headers['webhook-id']);
    expect(first.headers['webhook-id']).not.toBe(b.received[0]?.headers['webhook-id']);
    for (const request of a.received) expect(verified(SECRET_A, request)).toEqual(event);
    expect(verified(SECRET_B, b.received[0] as Received)).toEqual(event);
    expect(() => verified(SECRET_B, first)).toThrow();
    for (const { headers } of [...a.received, ...b.received]) {
      expect(headers['x-signature']).toBeUndefined();
      expect(headers.authorization).toBeUndefined();
    }
    expect(c.received).toHaveLength(0);
    // vip's payload filter names another customer.
    expect(vip.received).toHaveLength(0);
    // And both in-process subscribers ran, each once, their writes committed with the event.
    await waitForEventStatus(env, event.id, 'processed');
    expect(await accountBalance(env, 'cus_dest')).toBe(100);
    expect(
      await env.db.rows<{ n: number }>('select count(*)::int as n from audit where event_id = $1', [
        event.id,
      ]),
    ).toEqual([{ n: 1 }]);
    expect(
      await env.db.rows(
        `select s.subscriber, s.status from event_subscribers s
         join webhook_events e on e.id = s.event_row_id where e.event_id = $1 order by 1`,
        [event.id],
      ),
    ).toEqual([
      { subscriber: 'audit', status: 'processed' },
      { subscriber: 'default', status: 'processed' },
    ]);
  }, 20_000);

  it('delivers to a destination with a payload filter only the events it selects', async () => {
    const event = paymentEvent('cus_vip', 250);
    expect((await inject(JSON.stringify(event))).statusCode).toBe(200);
    const rows = await waitFor(
      async () => {
        const found = await ledger(event.id);
        return found.length === 3 && found.every((row) => row.status === 'delivered')
          ? found
          : undefined;
      },
      { timeoutMs: 15_000, what: 'the three deliveries to be delivered' },
    );
    expect(rows.map((row) => row.destination)).toEqual(['a', 'b', 'vip']);
    expect(vip.received).toHaveLength(1);
    expect(verified(SECRET_VIP, vip.received[0] as Received)).toEqual(event);
  }, 20_000);

  it('disables a destination that answers 410, and sends it nothing more', async () => {
    const refund = (id: string) =>
      JSON.stringify({ ...paymentEvent('cus_gone', 1, id), type: 'refund.created' });
    expect((await inject(refund('evt_gone_1'))).statusCode).toBe(200);
    await waitFor(
      async () =>
        (await ledger('evt_gone_1')).some((row) => row.status === 'disabled') ? true : undefined,
      { timeoutMs: 15_000, what: 'the 410 to disable the delivery' },
    );
    const disabled = await env.db.rows('select source, destination from disabled_destinations');
    expect(disabled).toEqual([{ source: 'payments', destination: 'c' }]);

    expect((await inject(refund('evt_gone_2'))).statusCode).toBe(200);
    const second = await waitFor(
      async () => {
        const found = (await ledger('evt_gone_2')).find((row) => row.destination === 'c');
        return found?.status === 'disabled' ? found : undefined;
      },
      { timeoutMs: 15_000, what: 'the next event to the disabled destination to be refused' },
    );
    expect(second.attempts).toBe(0);
    expect(c.received).toHaveLength(1);
  }, 20_000);

  it("counts each destination's deliveries, failures and latency on the worker's admin port", async () => {
    const text = await (await fetch(`${worker.adminUrl}/metrics`)).text();
    const sample = (series: string) => {
      const line = text.split('\n').find((row) => row.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    const of = (destination: string, extra = '') =>
      `{source="payments",destination="${destination}"${extra}}`;
    // a: a 500, then a 2xx, then the VIP payment and both refunds; b: a 2xx, then the VIP
    // payment; c: a 410, then a refund refused without a request.
    expect(sample(`webhook_deliveries_total${of('a', ',outcome="failed"')}`)).toBe(1);
    expect(sample(`webhook_deliveries_total${of('a', ',outcome="delivered"')}`)).toBe(4);
    expect(sample(`webhook_deliveries_total${of('b', ',outcome="delivered"')}`)).toBe(2);
    expect(sample(`webhook_deliveries_total${of('c', ',outcome="gone"')}`)).toBe(1);
    expect(sample(`webhook_deliveries_total${of('c', ',outcome="disabled"')}`)).toBe(1);
    expect(sample(`webhook_delivery_failures_total${of('a', ',reason="status"')}`)).toBe(1);
    expect(sample(`webhook_delivery_failures_total${of('c', ',reason="gone"')}`)).toBe(1);
    expect(sample(`webhook_delivery_duration_seconds_count${of('a')}`)).toBe(5);
    expect(sample(`webhook_delivery_breaker_state${of('a')}`)).toBe(0);
    expect(sample(`webhook_destination_disabled${of('a')}`)).toBe(0);
    expect(sample(`webhook_destination_disabled${of('c')}`)).toBe(1);
  });
});

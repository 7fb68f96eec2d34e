import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type PaymentToSend,
  STACK_SECRET,
  sendPayments,
  TestStack,
  waitFor,
} from '@webhook-inbox/testing';
import { Webhook } from 'standardwebhooks';
import { afterEach, describe, expect, it } from 'vitest';

// Real ingress and worker processes, real local receivers, real faults: a receiver that refuses
// connections, answers lost after the receiver acted, a worker SIGKILLed with requests in
// flight, a receiver that does not answer at all. Each test stops everything it started.

const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
/** Short retries, so that "down for a while" is a few seconds, not a minute. */
const FAST_RETRY = { attempts: 100, baseMs: 50, capMs: 300 };

let stack: TestStack | undefined;
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  await stack?.stop();
  stack = undefined;
});

type Handle = (
  request: IncomingMessage,
  response: ServerResponse,
  seen: { readonly first: boolean },
) => void;

/**
 * A receiving service as the docs tell one to be written: it verifies each request with the
 * `standardwebhooks` SDK, acts once per `webhook-id` (the Set stands for its unique key) and
 * answers 2xx to an ID it has seen without acting again. `handle` answers (or does not).
 */
async function receiver(handle: Handle, port = 0) {
  const effects = new Map<string, number>();
  const seenIds = new Set<string>();
  const stats = { requests: 0, duplicates: 0, unverified: 0, inFlight: 0, maxInFlight: 0 };
  const webhook = new Webhook(SECRET);
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      stats.requests += 1;
      stats.inFlight += 1;
      stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
      response.on('close', () => {
        stats.inFlight -= 1;
      });
      const body = Buffer.concat(chunks).toString('utf8');
      let event: { id: string };
      try {
        event = webhook.verify(body, request.headers as Record<string, string>) as { id: string };
      } catch {
        stats.unverified += 1;
        response.writeHead(401).end();
        return;
      }
      const id = String(request.headers['webhook-id']);
      const first = !seenIds.has(id);
      if (first) {
        seenIds.add(id);
        effects.set(event.id, (effects.get(event.id) ?? 0) + 1);
      } else {
        stats.duplicates += 1;
      }
      handle(request, response, { first });
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { port: (server.address() as AddressInfo).port, effects, stats, close };
}

/** A port nothing listens on: a connection to it is refused. */
async function refusingPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const destination = (name: string, port: number, fields: Record<string, unknown> = {}) => ({
  name,
  url: `http://127.0.0.1:${port}/hooks/${name}`,
  secret: SECRET,
  retry: FAST_RETRY,
  ...fields,
});

const payments = (prefix: string, count: number): PaymentToSend[] =>
  Array.from({ length: count }, (_, i) => ({
    eventId: `${prefix}_${i}`,
    customer: `cus_${prefix}_${i}`,
    amount: 100 + i,
  }));

async function send(url: string, events: PaymentToSend[]) {
  const results = await sendPayments(events, {
    concurrency: 4,
    url: () => url,
    secret: STACK_SECRET,
  });
  expect(results.every((result) => result.status === 200)).toBe(true);
}

const WORKER_SETTINGS = {
  DESTINATION_ALLOWED_HOSTS: '127.0.0.1',
  DELIVERY_BREAKER_FAILURES: '3',
  DELIVERY_BREAKER_COOLDOWN_MS: '300',
};

/** Each delivery's status and attempts, by destination and event ID. */
async function ledger(current: TestStack) {
  return current.db.rows<{
    destination: string;
    event_id: string;
    status: string;
    attempts: number;
  }>(
    `select d.destination, e.event_id, d.status, d.attempts from event_deliveries d
     join webhook_events e on e.id = d.event_row_id order by d.destination, e.event_id`,
  );
}

async function allDelivered(current: TestStack, count: number, what: string) {
  return waitFor(
    async () => {
      const rows = await ledger(current);
      return rows.length === count && rows.every((row) => row.status === 'delivered')
        ? rows
        : undefined;
    },
    { timeoutMs: 45_000, intervalMs: 100, what },
  );
}

/** One sample of the worker's metrics, or 0 when the series does not exist yet. */
async function metric(adminUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${adminUrl}/metrics`)).text();
  const line = text.split('\n').find((row) => row.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

const each = (effects: Map<string, number>, events: PaymentToSend[]) =>
  events.map((event) => effects.get(event.eventId) ?? 0);

describe('a destination down for a while, then back', () => {
  it('loses nothing: each event arrives, and the receiver dedupes the resends by webhook-id', async () => {
    const port = await refusingPort();
    stack = await TestStack.create({ destinations: [destination('orders', port)] });
    const ingress = await stack.startIngress();
    const worker = await stack.startWorker(WORKER_SETTINGS);
    const adminUrl = await TestStack.adminUrlOf(worker);
    const events = payments('down', 12);
    await send(ingress.url, events);

    // Down: every delivery has failed at least once on a refused connection, and the breaker
    // has opened (the worker defers deliveries without a request).
    await waitFor(
      async () => {
        const rows = await ledger(stack as TestStack);
        const failed = rows.length === 12 && rows.every((row) => row.attempts >= 1);
        const deferred = await metric(
          adminUrl,
          'webhook_deliveries_total{source="payments",destination="orders",outcome="deferred"}',
        );
        return failed && deferred > 0 ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'every delivery refused and the breaker open' },
    );
    const { rows: refused } = await stack.db.pool.query<{ error: string }>(
      `select distinct error from event_delivery_attempts where status_code is null`,
    );
    expect(refused.map((row) => row.error).join('\n')).toMatch(/ECONNREFUSED|refused/i);

    // Back, on the same port. Its first three answers are lost after it acted (the connection
    // drops before the response), so those three events are sent again under the same ID.
    let answersToLose = 3;
    const service = await receiver((_request, response, { first }) => {
      if (first && answersToLose > 0) {
        answersToLose -= 1;
        response.socket?.destroy();
        return;
      }
      response.writeHead(204).end();
    }, port);

    const rows = await allDelivered(
      stack,
      12,
      'every delivery delivered after the receiver came back',
    );
    expect(rows.map((row) => row.event_id)).toEqual(events.map((e) => e.eventId).sort());
    expect(each(service.effects, events)).toEqual(events.map(() => 1));
    expect(service.stats.duplicates).toBeGreaterThanOrEqual(3);
    expect(service.stats.unverified).toBe(0);
  }, 90_000);
});

describe('a worker SIGKILLed with deliveries in flight', () => {
  it('sends them again from another worker; the receiver acts once per webhook-id', async () => {
    // The receiver acts on each new ID at once and answers only a resend: every first request
    // is still waiting for its answer when the worker dies.
    const service = await receiver((_request, response, { first }) => {
      if (!first) response.writeHead(200).end('already had it');
    });
    stack = await TestStack.create({
      destinations: [destination('audit', service.port, { timeoutMs: 60_000 })],
    });
    const ingress = await stack.startIngress();
    const doomed = await stack.startWorker(WORKER_SETTINGS);
    const events = payments('kill', 4);
    await send(ingress.url, events);
    await waitFor(async () => (service.stats.requests === 4 ? true : undefined), {
      timeoutMs: 30_000,
      what: 'all four deliveries in flight at the receiver',
    });
    expect((await ledger(stack)).map((row) => row.status)).toEqual(Array(4).fill('pending'));
    doomed.kill('SIGKILL');
    await doomed.exited;

    await stack.startWorker(WORKER_SETTINGS);
    const rows = await allDelivered(stack, 4, 'the killed deliveries delivered by the next worker');
    // The killed attempts recorded nothing: one attempt each, the one that got its answer.
    expect(rows.map((row) => row.attempts)).toEqual([1, 1, 1, 1]);
    expect(each(service.effects, events)).toEqual([1, 1, 1, 1]);
    expect(service.stats.duplicates).toBeGreaterThanOrEqual(4);
    expect(service.stats.unverified).toBe(0);
  }, 90_000);
});

describe('a slow destination beside a fast one', () => {
  it('holds only its own share of the slots: the fast one gets every event meanwhile', async () => {
    // The slow service answers nothing until released; the fast one answers at once.
    const held: ServerResponse[] = [];
    let released = false;
    const slow = await receiver((_request, response) => {
      if (released) response.writeHead(204).end();
      else held.push(response);
    });
    const fast = await receiver((_request, response) => {
      response.writeHead(204).end();
    });
    stack = await TestStack.create({
      destinations: [
        destination('slow', slow.port, { timeoutMs: 60_000 }),
        destination('fast', fast.port),
      ],
    });
    const ingress = await stack.startIngress();
    // Four slots, of which one destination may hold two.
    await stack.startWorker({ ...WORKER_SETTINGS, DELIVERY_CONCURRENCY: '4' });
    const events = payments('slow', 10);
    await send(ingress.url, events);

    const fastDone = await waitFor(
      async () => {
        const rows = (await ledger(stack as TestStack)).filter((row) => row.destination === 'fast');
        return rows.length === 10 && rows.every((row) => row.status === 'delivered')
          ? rows
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 100, what: 'every delivery to the fast destination' },
    );
    expect(fastDone).toHaveLength(10);
    // Meanwhile the slow one has answered nothing and never had more than its two slots.
    const slowNow = (await ledger(stack)).filter((row) => row.destination === 'slow');
    expect(slowNow.filter((row) => row.status === 'delivered')).toHaveLength(0);
    expect(slow.stats.maxInFlight).toBeLessThanOrEqual(2);
    expect(each(fast.effects, events)).toEqual(events.map(() => 1));

    released = true;
    for (const response of held.splice(0)) response.writeHead(204).end();
    await allDelivered(stack, 20, 'the slow deliveries, once the slow destination answers');
    expect(each(slow.effects, events)).toEqual(events.map(() => 1));
  }, 90_000);
});

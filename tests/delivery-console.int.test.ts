import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { handlers } from '@webhook-inbox/example-payments';
import { loadIngressSources } from '@webhook-inbox/ingress';
import {
  createTestEnvironment,
  dashboardFor,
  ingressFor,
  PAYMENTS_SECRET,
  paymentEvent,
  signedPayment,
  type TestEnvironment,
  waitFor,
} from '@webhook-inbox/testing';
import type { RunningWorker } from '@webhook-inbox/worker';
import type { FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loggedInContext, screenshot } from './browser.ts';
import { destinationsWorker } from './support.ts';

const secret = (byte: number) => `whsec_${Buffer.alloc(32, byte).toString('base64')}`;

/** What a broken service answers: a long HTML error page, of which the first KiB is kept. */
const ERROR_PAGE = `<!doctype html><html><head><title>503 Service Unavailable</title></head><body><h1>Service Unavailable</h1><p>${'The upstream ledger is in maintenance until 04:00 UTC; retry later. '.repeat(30)}</p></body></html>`;

/** A destination whose answers `answer` decides, one call per request. */
async function destination(answer: () => { status: number; body: string }) {
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const { status, body } = answer();
      response.writeHead(status, { 'content-type': 'text/html' }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/payments`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let env: TestEnvironment;
let ingress: FastifyInstance;
let dashboard: FastifyInstance;
let worker: RunningWorker;
let browser: Browser;
let context: BrowserContext;
let baseUrl: string;
let rowId: number;
/** The ledger service answers 410 until it is back in business. */
let ledgerGone = true;
const closers: Array<() => Promise<void>> = [];

async function ledgerRows() {
  const { rows } = await env.db.pool.query<{ destination: string; status: string }>(
    `select d.destination, d.status from event_deliveries d
     join webhook_events e on e.id = d.event_row_id
     where e.event_id = 'evt_console_fanout' order by d.destination`,
  );
  return Object.fromEntries(rows.map((row) => [row.destination, row.status]));
}

beforeAll(async () => {
  env = await createTestEnvironment();
  const servers = await Promise.all([
    destination(() => ({ status: 200, body: '{"ok":true}' })),
    destination(() => ({ status: 503, body: ERROR_PAGE })),
    destination(() =>
      ledgerGone ? { status: 410, body: 'this endpoint was retired' } : { status: 204, body: '' },
    ),
  ]);
  const [billing, crm, ledger] = servers;
  const retry = { attempts: 3, baseMs: 20, capMs: 50 };
  const file = join(mkdtempSync(join(tmpdir(), 'wi-delivery-console-')), 'sources.json');
  writeFileSync(
    file,
    JSON.stringify([
      {
        name: 'payments',
        provider: 'hmac',
        secret: PAYMENTS_SECRET,
        destinations: [
          { name: 'billing', url: billing?.url, secret: secret(1), retry },
          { name: 'crm-sync', url: crm?.url, secret: secret(2), retry },
          { name: 'ledger', url: ledger?.url, secret: secret(3), retry },
        ],
      },
    ]),
  );
  ingress = ingressFor(env, {
    sources: loadIngressSources(file, {}),
    deliveryQueue: env.deliveryQueue,
  });
  worker = await destinationsWorker(env, file, handlers);
  dashboard = await dashboardFor(env);
  baseUrl = await dashboard.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  closers.push(
    () => ingress.close(),
    () => worker.close(),
    ...servers.map((server) => server.close),
    () => dashboard.close(),
    () => browser.close(),
  );

  const response = await ingress.inject(
    signedPayment(JSON.stringify(paymentEvent('cus_console', 2500, 'evt_console_fanout'))),
  );
  expect(response.statusCode).toBe(200);
  await waitFor(
    async () => {
      const rows = await ledgerRows();
      return rows.billing === 'delivered' &&
        rows['crm-sync'] === 'dead' &&
        rows.ledger === 'disabled'
        ? rows
        : undefined;
    },
    { timeoutMs: 20_000, what: 'delivered, dead and disabled deliveries' },
  );
  const { rows } = await env.db.pool.query<{ id: string }>(
    `select id from webhook_events where event_id = 'evt_console_fanout'`,
  );
  rowId = Number(rows[0]?.id);

  context = await loggedInContext(browser, baseUrl);
}, 60_000);

afterAll(async () => {
  await context?.close();
  for (const close of closers.reverse()) await close();
  await env?.cleanup();
});

async function overflow(page: Page) {
  // A string, since the tests compile without the DOM's types.
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

const delivery = (page: Page, destination: string) =>
  page.locator(`section.delivery[data-destination="${destination}"]`);

describe("an event's deliveries in a real browser", () => {
  for (const width of [1366, 390]) {
    it(`shows each destination's state and attempts without scrolling sideways at ${width} px`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 900 });
      await page.goto(`${baseUrl}/events/${rowId}`);
      expect(await delivery(page, 'billing').getByTestId('delivery-status').textContent()).toBe(
        'delivered',
      );
      const crm = delivery(page, 'crm-sync');
      expect(await crm.getByTestId('delivery-status').textContent()).toBe('dead');
      expect(await crm.getByTestId('delivery-attempts').locator('li').count()).toBe(3);
      // The response is folded away; opened, it is the first KiB of the error page, as text.
      await crm.locator('details.response summary').first().click();
      const response = await crm.locator('details.response pre').first().textContent();
      expect(response?.startsWith('<!doctype html>')).toBe(true);
      expect(Buffer.byteLength(response ?? '')).toBe(1024);
      expect(
        await delivery(page, 'ledger').getByRole('button', { name: 'Enable ledger' }).count(),
      ).toBe(1);
      await screenshot(page, `deliveries-event-${width}`);
      const { scrollWidth, innerWidth } = await overflow(page);
      expect(scrollWidth, `event page at ${width} px`).toBeLessThanOrEqual(innerWidth);
      await page.close();
    }, 30_000);
  }

  it('enables the destination a 410 disabled, and the delivery it refused arrives', async () => {
    ledgerGone = false;
    const page = await context.newPage();
    await page.goto(`${baseUrl}/events/${rowId}`);
    await delivery(page, 'ledger').getByRole('button', { name: 'Enable ledger' }).click();
    await page.waitForURL(`${baseUrl}/events/${rowId}`);
    expect(await page.getByRole('status').textContent()).toContain(
      'Enabled ledger: 1 delivery it refused is queued again.',
    );
    await expect
      .poll(
        async () => {
          await page.reload();
          return delivery(page, 'ledger').getByTestId('delivery-status').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('delivered');
    const attempts = await delivery(page, 'ledger')
      .getByTestId('delivery-attempts')
      .locator('li')
      .allTextContents();
    expect(attempts.map((text) => text.replace(/\s+/g, ' '))).toEqual([
      expect.stringMatching(/HTTP 410 .*disabled/),
      expect.stringMatching(/HTTP 204 .*delivered/),
    ]);
    // The enable gave it a fresh start: one attempt since, two in all.
    expect(await delivery(page, 'ledger').locator('table.facts').textContent()).toMatch(
      /Attempts\s*1 since it was last replayed or enabled, 2 in all/,
    );
    await screenshot(page, 'deliveries-enabled-1366');
    await page.close();
  }, 30_000);
});

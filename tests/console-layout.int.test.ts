import { hash } from 'node:crypto';
import { recordFailure, storeEvent } from '@webhook-inbox/inbox';
import {
  DASHBOARD_USER,
  eventState,
  paymentEvent,
  seedRows,
  signedPayment,
  waitFor,
  waitForEventStatus,
} from '@webhook-inbox/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loggedInContext, screenshot } from './browser.ts';
import { breakablePaymentsHandler, type ConsoleStack, consoleStack } from './support.ts';

const WIDTHS = [1366, 390] as const;

/** What an on-call operator meets: a provider's long event ID and a stack of an error. */
const LONG_ID = `evt_${'3Pq8ZkLmN2xYvW7'.repeat(8)}`;
const LONG_ERROR = `Error: upstream ledger refused the credit: ${'POST https://ledger.internal.example/v2/accounts/cus_4242/credits?idempotency_key=abcdef0123456789 → 503 '.repeat(6)}`;

let stack: ConsoleStack;
let browser: Browser;
let context: BrowserContext;
let baseUrl: string;
let longRowId: number;
const { handlers, state: handler } = breakablePaymentsHandler(
  'customer service unreachable: ECONNREFUSED 10.0.0.7:443',
);

async function overflow(page: Page) {
  // A string, since the tests compile without the DOM's types.
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

beforeAll(async () => {
  const retry = { attempts: 2, backoffMs: 20 };
  stack = await consoleStack(handlers, retry, { retryPolicies: new Map([['payments', retry]]) });
  baseUrl = await stack.dashboard.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();

  const body = JSON.stringify(paymentEvent('cus_long', 1, LONG_ID));
  const stored = await storeEvent(stack.env.db, {
    source: 'payments',
    eventId: LONG_ID,
    eventType: 'payment.succeeded',
    body,
    headers: JSON.stringify({ 'content-type': 'application/json' }),
    bodySha256: hash('sha256', body, 'hex'),
  });
  if (stored.kind !== 'inserted') throw new Error(`seed not stored: ${stored.kind}`);
  longRowId = stored.rowId;
  await recordFailure(stack.env.db, longRowId, new Error(LONG_ERROR.slice(7)), true, {
    worker: 'worker seed:1',
    startedAt: new Date(),
    durationMs: 5,
  });

  context = await loggedInContext(browser, baseUrl);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

describe('the event page', () => {
  it('shows every attempt and the replay by the operator as a timeline, and the banner once', async () => {
    handler.broken = true;
    const response = await stack.ingress.inject(
      signedPayment(JSON.stringify(paymentEvent('cus_timeline', 700, 'evt_timeline'))),
    );
    expect(response.statusCode).toBe(200);
    await waitForEventStatus(stack.env, 'evt_timeline', 'dead');
    const rowId = Number((await eventState(stack.env, 'evt_timeline'))?.id);

    const page = await context.newPage();
    await page.goto(`${baseUrl}/events/${rowId}`);
    const entries = page.getByTestId('history').locator('li');
    expect(await entries.count()).toBe(2);

    handler.broken = false;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL(`${baseUrl}/events/${rowId}`);
    expect(await page.getByRole('status').textContent()).toContain('Replayed');
    await waitFor(
      async () =>
        (await eventState(stack.env, 'evt_timeline'))?.status === 'processed' ? true : undefined,
      { what: 'evt_timeline processed after the replay' },
    );
    await page.reload();
    // The outcome was said once; a reload does not say it again.
    expect(await page.getByRole('status').count()).toBe(0);
    expect(await page.getByTestId('event-status').textContent()).toBe('processed');

    const texts = (await entries.allTextContents()).map((text) => text.replace(/\s+/g, ' '));
    expect(texts).toHaveLength(4);
    expect(texts[0]).toMatch(/attempt failed .*ms by worker .*ECONNREFUSED/);
    expect(texts[1]).toMatch(/attempt dead .*ms by worker .*ECONNREFUSED/);
    expect(texts[2]).toMatch(new RegExp(`replayed received by ${DASHBOARD_USER}`));
    expect(texts[3]).toMatch(/attempt processed .*ms by worker/);
    expect(texts[3]).not.toContain('ECONNREFUSED');
    for (const text of texts) expect(text).toMatch(/^\s*\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ/);
    await screenshot(page, 'layout-timeline-1366');
    await page.close();
  }, 60_000);
});

describe('the console at a laptop and a phone width', () => {
  for (const width of WIDTHS) {
    it(`does not scroll the page sideways at ${width} px`, async () => {
      const page = await context.newPage();
      await page.setViewportSize({ width, height: 800 });
      const timelineId = Number((await eventState(stack.env, 'evt_timeline'))?.id);
      const pages = {
        overview: '/',
        events: '/events',
        'long-event': `/events/${longRowId}`,
        'replayed-event': `/events/${timelineId}`,
      };
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${baseUrl}${path}`);
        await screenshot(page, `layout-${name}-${width}`);
        const { scrollWidth, innerWidth } = await overflow(page);
        expect(scrollWidth, `${name} at ${width} px`).toBeLessThanOrEqual(innerWidth);
      }

      await page.goto(`${baseUrl}/events`);
      const idCell = page.locator('table.events td.id-cell', { hasText: LONG_ID.slice(0, 20) });
      // Shown cut short, the whole ID on hover and in the text a copy takes.
      expect(await idCell.getAttribute('title')).toBe(LONG_ID);
      expect(await idCell.textContent()).toBe(LONG_ID);
      expect(await idCell.evaluate((cell) => cell.scrollWidth > cell.clientWidth)).toBe(true);
      await page.close();
    }, 60_000);
  }

  it('states the zone, refreshes the overview by itself and labels the chart', async () => {
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    expect(await page.locator('meta[http-equiv="refresh"]').getAttribute('content')).toMatch(
      /^\d+$/,
    );
    expect(await page.getByTestId('updated-at').textContent()).toMatch(
      /updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ UTC/,
    );
    // Two events this hour, in one minute or two: the axis runs 0 to 2.
    expect(await page.getByTestId('y-axis').locator('span').allTextContents()).toEqual([
      '2',
      '1',
      '0',
    ]);

    await page.goto(`${baseUrl}/events`);
    const from = page.getByLabel('Received from (UTC)');
    expect(await from.getAttribute('type')).toBeNull();
    await from.fill('2000-01-01T00:00Z');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/from=2000/);
    expect(await page.locator('table.events tbody tr').count()).toBe(2);
    await page.close();
  });
});

// Last, so that its row counts in no other test's figures.
describe('an event with several subscribers', () => {
  it('lists them and their replay buttons without scrolling the page sideways', async () => {
    const [rowId] = (await seedRows(stack.env, [
      {
        eventId: 'evt_fan_layout',
        status: 'dead',
        lastError: LONG_ERROR,
        subscribers: { 'accounts-receivable-ledger': 'dead', audit: 'processed', crm: 'failed' },
      },
    ])) as [number];
    const page = await context.newPage();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(`${baseUrl}/events/${rowId}`);
      await screenshot(page, `layout-fan-out-event-${width}`);
      expect(await page.getByRole('button', { name: 'Replay crm' }).isVisible()).toBe(true);
      const { scrollWidth, innerWidth } = await overflow(page);
      expect(scrollWidth, `the fan-out event at ${width} px`).toBeLessThanOrEqual(innerWidth);
    }
    await page.close();
  }, 60_000);
});

import { dashboardPerFile, seedRows } from '@webhook-inbox/testing';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, loggedInContext, screenshot } from './browser.ts';

const WIDTHS = [1366, 390] as const;

/** What an on-call operator meets: a long key, a provider's long event ID and a stack of an error. */
const LONG_KEY = `repository:${'8675309'.repeat(6)}/issue:${'42'.repeat(10)}`;
const LONG_ID = `evt_${'3Pq8ZkLmN2xYvW7'.repeat(8)}`;
const LONG_ERROR = `Error: upstream ledger refused the credit: ${'POST https://ledger.internal.example/v2/accounts/cus_4242/credits → 503 '.repeat(6)}\n    at handler (payments.ts:10:5)`;

const dashboard = dashboardPerFile();
let browser: Browser;
let context: BrowserContext;
let baseUrl: string;
let blockingRowId: number;

async function overflow(page: Page) {
  // A string, since the tests compile without the DOM's types.
  return page.evaluate<{ scrollWidth: number; innerWidth: number }>(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  );
}

beforeAll(async () => {
  const [blocking] = await seedRows(dashboard.env, [
    {
      eventId: LONG_ID,
      status: 'dead',
      lastError: LONG_ERROR,
      ordering: { key: LONG_KEY, value: 1 },
    },
    { eventId: 'evt_next', ordering: { key: LONG_KEY, value: 2 } },
    { eventId: 'evt_b1', status: 'failed', ordering: { key: 'cus_b', value: 1 } },
    { eventId: 'evt_b2', ordering: { key: 'cus_b', value: 2 } },
  ]);
  blockingRowId = blocking ?? 0;
  baseUrl = await dashboard.app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
  context = await loggedInContext(browser, baseUrl);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
});

describe('blocked keys in a browser', () => {
  it('fit the overview and the blocking event page at desktop and phone widths', async () => {
    const page = await context.newPage();
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 800 });
      for (const [name, path] of [
        ['overview', '/'],
        ['event', `/events/${blockingRowId}`],
      ] as const) {
        await page.goto(`${baseUrl}${path}`);
        await screenshot(page, `blocked-keys-${name}-${width}`);
        const { scrollWidth, innerWidth } = await overflow(page);
        expect(scrollWidth, `${name} at ${width}`).toBeLessThanOrEqual(innerWidth);
      }
      await page.goto(`${baseUrl}/`);
      const links = page.getByTestId('blocked-keys').locator('tbody tr a');
      expect(await links.count()).toBe(2);
      // The blocking event is what an operator acts on: its cell is on screen without scrolling.
      const box = await links.first().locator('xpath=..').boundingBox();
      expect(box && box.x + box.width, `blocking event link at ${width}`).toBeLessThanOrEqual(
        width,
      );
      await page.goto(`${baseUrl}/events/${blockingRowId}`);
      const button = page.getByRole('button', { name: 'Skip' });
      expect(await button.isVisible(), `Skip at ${width}`).toBe(true);
    }
    await page.close();
  });
});

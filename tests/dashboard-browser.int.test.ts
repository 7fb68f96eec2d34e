import { accounts } from '@webhook-inbox/example-payments';
import {
  DASHBOARD_PASSWORD,
  DASHBOARD_USER,
  paymentEvent,
  signedPayment,
  waitFor,
} from '@webhook-inbox/testing';
import { eq } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from './browser.ts';
import { breakablePaymentsHandler, type ConsoleStack, consoleStack } from './support.ts';

let stack: ConsoleStack;
let browser: Browser;
let baseUrl: string;
/** The handler throws while this is true: the "broken deploy" an operator is paged for. */
const { handlers, state: handler } = breakablePaymentsHandler(
  'customer service unreachable: ECONNREFUSED 10.0.0.7:443',
);

async function send(customer: string, amount: number, eventId: string) {
  const response = await stack.ingress.inject(
    signedPayment(JSON.stringify(paymentEvent(customer, amount, eventId))),
  );
  expect(response.statusCode).toBe(200);
}

async function statusOf(eventId: string) {
  const rows = await stack.env.db.rows<{ status: string }>(
    'select status from webhook_events where event_id = $1',
    [eventId],
  );
  return rows[0]?.status;
}

beforeAll(async () => {
  stack = await consoleStack(handlers, { attempts: 2, backoffMs: 20 });
  baseUrl = await stack.dashboard.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

describe('the public stack.ingress', () => {
  it('serves nothing of the stack.dashboard', async () => {
    for (const url of ['/', '/login', '/events', '/queues', '/queues/api/queues', '/api/events']) {
      expect((await stack.ingress.inject({ method: 'GET', url })).statusCode, url).toBe(404);
    }
  });
});

describe('the operators console in a real browser', () => {
  it('logs in, finds a dead event, replays it after the fix, sees it processed once, opens Bull Board', async () => {
    for (const [i, customer] of ['cus_ok_1', 'cus_ok_2', 'cus_ok_1'].entries())
      await send(customer, 100 + i, `evt_ok_${i}`);
    for (const eventId of ['evt_ok_0', 'evt_ok_1', 'evt_ok_2']) {
      await waitFor(async () => ((await statusOf(eventId)) === 'processed' ? true : undefined), {
        what: `${eventId} processed`,
      });
    }
    handler.broken = true;
    await send('cus_broken', 4900, 'evt_broken');
    await waitFor(async () => ((await statusOf('evt_broken')) === 'dead' ? true : undefined), {
      what: 'evt_broken to die',
    });

    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(`${baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, '01-login');

    await page.getByLabel('User').fill(DASHBOARD_USER);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('Wrong user name or password');
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, '02-login-refused');
    expect((await page.goto(`${baseUrl}/events`))?.url()).toContain('/login');

    await page.getByLabel('User').fill(DASHBOARD_USER);
    await page.getByLabel('Password').fill(DASHBOARD_PASSWORD);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(`${baseUrl}/events`);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL(`${baseUrl}/`);
    expect(await page.getByTestId('dead-count').textContent()).toBe('1');
    await screenshot(page, '03-overview');

    await page.getByRole('link', { name: /Dead events needing attention/ }).click();
    await page.waitForURL(/\/events\?status=dead/);
    await page.getByLabel('Payload').fill('data.customer_id = cus_broken');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/payload=/);
    const rows = page.locator('table.events tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('customer service unreachable');
    await screenshot(page, '04-dead-events');
    await page.getByRole('link', { name: 'Replay all matching…' }).click();
    expect(await page.getByTestId('replayable-count').textContent()).toBe('1');
    await screenshot(page, '04b-replay-matching-confirm');
    await page.getByRole('link', { name: 'Cancel' }).click();

    await page.getByRole('link', { name: 'evt_broken' }).click();
    await page.waitForURL(/\/events\/\d+$/);
    expect(await page.getByTestId('event-status').textContent()).toBe('dead');
    expect(await page.locator('pre.error-block').textContent()).toContain('ECONNREFUSED');
    expect(await page.getByTestId('payload').textContent()).toContain(
      '"customer_id": "cus_broken"',
    );
    expect(await page.getByTestId('job-state').textContent()).toBe('failed');
    await screenshot(page, '05-dead-event');

    handler.broken = false;
    await page.getByRole('button', { name: 'Replay' }).click();
    await page.waitForURL(/\/events\/\d+$/);
    expect(await page.getByRole('status').textContent()).toContain('Replayed');
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId('event-status').textContent();
        },
        { timeout: 15_000 },
      )
      .toBe('processed');
    expect(await page.getByRole('button', { name: 'Replay' }).count()).toBe(0);
    await screenshot(page, '06-replayed-processed');
    const [credited] = await stack.env.db
      .select()
      .from(accounts)
      .where(eq(accounts.id, 'cus_broken'));
    expect(credited?.balance).toBe(4900);

    await page.getByRole('link', { name: 'open in Bull Board' }).click();
    await page.waitForURL(/\/queues\/queue\/webhooks\/evt-\d+$/);
    await page.getByText('Open in the inbox').first().waitFor({ timeout: 15_000 });
    await screenshot(page, '07-bull-board-job');
    await page.goto(`${baseUrl}/queues`);
    await page.getByText('webhooks').first().waitFor({ timeout: 15_000 });
    await page.waitForLoadState('networkidle');
    await screenshot(page, '08-bull-board');
    await page.close();
  }, 90_000);
});

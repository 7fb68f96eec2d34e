import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DASHBOARD_PASSWORD, DASHBOARD_USER } from '@webhook-inbox/testing';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((path) =>
  existsSync(path),
);
export const SCREENSHOTS = join('test-results', 'screenshots');

/**
 * Debian's chromium, headless. playwright-core downloads no browser, and without the
 * background-networking flags chromium keeps dialling out on a machine with no network.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!CHROMIUM) {
    throw new Error(
      'chromium is not installed: this test drives the Debian package (apt-get install -y chromium); .ci/run installs it',
    );
  }
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** A browser context logged in to the console at `baseUrl` as the test operator, at desktop width. */
export async function loggedInContext(browser: Browser, baseUrl: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('User').fill(DASHBOARD_USER);
  await page.getByLabel('Password').fill(DASHBOARD_PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(`${baseUrl}/`);
  await page.close();
  return context;
}

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

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

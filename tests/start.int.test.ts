import { createHmac } from 'node:crypto';
import { dropDatabase } from '@webhook-inbox/db';
import {
  AppProcess,
  deleteRedisKeys,
  freePort,
  testServices,
  uniqueName,
  waitFor,
} from '@webhook-inbox/testing';
import { afterAll, describe, expect, it } from 'vitest';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Logs in with the form as a browser would, and returns the session cookie. */
async function logIn(baseUrl: string, user: string, password: string): Promise<string> {
  const form = await fetch(`${baseUrl}/login`);
  const cookie = (form.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const response = await fetch(`${baseUrl}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, user, password }),
  });
  expect(response.status).toBe(303);
  return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('npm start', () => {
  it('prints the dashboard URL and a one-time password that logs in; the sample event shows processed', async () => {
    // A database that does not exist yet: npm start creates it and runs the product's and the
    // example's migrations, so the sample event's handler finds its table.
    const database = new URL(testServices.postgresUrl);
    database.pathname = `/${uniqueName('db')}`;
    const queuePrefix = uniqueName('q');
    cleanups.push(async () => {
      await deleteRedisKeys(testServices.redisUrl, queuePrefix);
      await dropDatabase(database.toString());
    });
    const [port, dashboardPort] = [await freePort(), await freePort()];
    const start = new AppProcess('npm start', 'scripts/start.ts', {
      DATABASE_URL: database.toString(),
      REDIS_URL: testServices.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      PORT: String(port),
      DASHBOARD_PORT: String(dashboardPort),
      METRICS_PORT: '0',
      LOG_LEVEL: 'warn',
    });
    cleanups.unshift(async () => {
      start.kill('SIGTERM');
      await start.exited;
    });

    const [, url, password] = await start.waitForLine(
      /dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\/\s+log in as admin with the one-time password (\S+)/,
      60_000,
    );
    expect(url).toBe(`http://127.0.0.1:${dashboardPort}`);
    expect(start.lines.join('\n')).toContain(
      `webhooks:   http://127.0.0.1:${port}/webhooks/<source>`,
    );

    const refused = await fetch(`${url}/api/events`);
    expect(refused.status).toBe(401);
    const session = await logIn(url as string, 'admin', password as string);

    // The README's sample event, signed with the example source's development secret.
    const body = JSON.stringify({
      id: 'evt_readme',
      type: 'payment.succeeded',
      occurred_at: new Date().toISOString(),
      data: { customer_id: 'cus_1', amount: 4900, currency: 'INR' },
    });
    const signature = createHmac('sha256', 'dev-payments-secret').update(body).digest('hex');
    const sent = await fetch(`http://127.0.0.1:${port}/webhooks/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': `sha256=${signature}` },
      body,
    });
    expect(sent.status).toBe(200);

    const processed = await waitFor(
      async () => {
        const response = await fetch(`${url}/api/events?event_id=evt_readme`, {
          headers: { cookie: session },
        });
        const { events } = (await response.json()) as { events: Array<{ status: string }> };
        return events[0]?.status === 'processed' ? events[0] : undefined;
      },
      { timeoutMs: 20_000, what: 'the sample event to show processed in the dashboard' },
    );
    expect(processed.status).toBe('processed');
  }, 90_000);
});

import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { API_TOKEN, dashboardPerFile, OperatorClient } from '@webhook-inbox/testing';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedInbox } from './seed.ts';

let redis: Redis | undefined;
let ids: Record<string, number>;
const auth = { authorization: `Bearer ${API_TOKEN}` };

// Registered before the console's own hooks, so it runs after the console is closed.
afterAll(() => redis?.disconnect());
const dashboard = dashboardPerFile((env) => {
  // Nothing listens on port 1: the dashboard's Redis is down from the start.
  redis = createRedis('redis://127.0.0.1:1', 'producer');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.queuePrefix);
  queue.on('error', () => {});
  return { redis, queue };
});
beforeAll(async () => {
  ids = await seedInbox(dashboard.env);
});

async function statusOf(eventId: string) {
  const rows = await dashboard.env.db.rows<{ status: string }>(
    'select status from webhook_events where event_id = $1',
    [eventId],
  );
  return rows[0]?.status;
}

describe('with Redis down', () => {
  it('still shows the inbox, with the job state unavailable', async () => {
    expect(
      (await dashboard.app.inject({ method: 'GET', url: '/api/stats', headers: auth })).statusCode,
    ).toBe(200);
    const event = await dashboard.app.inject({
      method: 'GET',
      url: `/api/events/${ids.evt_dead}`,
      headers: auth,
    });
    expect(event.json().job.state).toBe('unavailable');
  });

  it('refuses job actions at once, says so, and changes nothing', async () => {
    const replay = await dashboard.app.inject({
      method: 'POST',
      url: `/api/events/${ids.evt_dead}/replay`,
      headers: auth,
    });
    expect(replay.statusCode).toBe(503);
    expect(replay.json().message).toMatch(/^Redis is not reachable.*nothing was changed/);
    const all = await dashboard.app.inject({
      method: 'POST',
      url: '/api/events/replay',
      headers: auth,
      payload: { status: 'dead', confirm: true },
    });
    expect(all.statusCode).toBe(503);
    const skip = await dashboard.app.inject({
      method: 'POST',
      url: `/api/events/${ids.evt_dead}/skip`,
      headers: auth,
    });
    expect(skip.statusCode).toBe(503);
    expect(await statusOf('evt_dead')).toBe('dead');

    const client = new OperatorClient(dashboard.app);
    await client.logIn();
    const csrf = await client.csrfFrom(`/events/${ids.evt_dead}`);
    const page = await client.postForm(`/events/${ids.evt_dead}/replay`, { _csrf: csrf });
    expect(page.statusCode).toBe(503);
    expect(page.body).toContain('Redis is not reachable');
    const skipPage = await client.postForm(`/events/${ids.evt_dead}/skip`, { _csrf: csrf });
    expect(skipPage.statusCode).toBe(503);
    expect(await statusOf('evt_dead')).toBe('dead');
  });
});

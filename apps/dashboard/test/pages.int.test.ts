import { dashboardPerFile, OperatorClient } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedInbox } from './seed.ts';

const dashboard = dashboardPerFile();
let ids: Record<string, number>;
let client: OperatorClient;

beforeAll(async () => {
  ids = await seedInbox(dashboard.env);
  client = new OperatorClient(dashboard.app);
  await client.logIn();
});

describe('pages', () => {
  it('escapes what events carry: an error text is shown, never run', async () => {
    const page = await client.get(`/events/${ids.evt_dead}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Error: &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>alert(1)</script>');
    const list = await client.get('/events?status=dead');
    expect(list.body).not.toContain('<script>alert(1)</script>');
  });

  it('shows a bad filter as a message on the list, with status 400', async () => {
    const page = await client.get('/events?payload=nonsense');
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('payload: expected `path.to.key = value`');
  });

  it('offers Replay only for dead and ignored events, Retry now only for failed ones', async () => {
    const dead = (await client.get(`/events/${ids.evt_dead}`)).body;
    expect(dead).toContain(`action="/events/${ids.evt_dead}/replay"`);
    expect(dead).not.toContain('/retry-now"');
    const failed = (await client.get(`/events/${ids.evt_failed}`)).body;
    expect(failed).toContain(`action="/events/${ids.evt_failed}/retry-now"`);
    expect(failed).not.toContain('/replay"');
    const processed = (await client.get(`/events/${ids.evt_processed}`)).body;
    expect(processed).toContain('No action: it was processed');
  });

  it('refuses a forged replay of a processed event and says why', async () => {
    const csrf = await client.csrfFrom(`/events/${ids.evt_processed}`);
    const response = await client.postForm(`/events/${ids.evt_processed}/replay`, { _csrf: csrf });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('must stay once');
  });

  it('replays all matching events after showing the count', async () => {
    const confirm = await client.get('/events/replay?source=stripe');
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toMatch(/data-testid="replayable-count">1</);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(confirm.body)?.[1] ?? '';
    const done = await client.postForm('/events/replay', { _csrf: csrf, source: 'stripe' });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Replayed 1 event');
    const rows = await dashboard.env.db.rows<{ status: string }>(
      `select status from webhook_events where event_id = 'evt_ignored'`,
    );
    expect(rows[0]?.status).toBe('received');
  });

  it('refuses a replay of matching events without a form body', async () => {
    const csrf = await client.csrfFrom('/events');
    const response = await client.request({
      method: 'POST',
      url: '/events/replay',
      headers: { 'csrf-token': csrf },
    });
    expect(response.statusCode).toBe(400);
  });

  it('answers 404 for an event that does not exist', async () => {
    expect((await client.get('/events/999999')).statusCode).toBe(404);
  });
});

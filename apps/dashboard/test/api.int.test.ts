import { jobIdFor, webhookJob } from '@webhook-inbox/queue';
import { API_TOKEN, dashboardPerFile } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedInbox } from './seed.ts';

const dashboard = dashboardPerFile();
let ids: Record<string, number>;
const auth = { authorization: `Bearer ${API_TOKEN}` };

beforeAll(async () => {
  ids = await seedInbox(dashboard.env);
});

async function api(method: 'GET' | 'POST', url: string, payload?: object) {
  const response = await dashboard.app.inject({
    method,
    url,
    headers: auth,
    ...(payload ? { payload } : {}),
  });
  return { status: response.statusCode, body: response.json() };
}

async function statusOf(eventId: string) {
  const rows = await dashboard.env.db.rows<{ status: string }>(
    'select status from webhook_events where event_id = $1',
    [eventId],
  );
  return rows[0]?.status;
}

describe('GET /api/events', () => {
  it('lists newest first, without payloads', async () => {
    const { status, body } = await api('GET', '/api/events');
    expect(status).toBe(200);
    expect(body.events.map((e: { eventId: string }) => e.eventId)).toEqual([
      'evt_received',
      'evt_ignored',
      'evt_failed',
      'evt_dead',
      'evt_processed',
    ]);
    expect(body.events[0]).not.toHaveProperty('payload');
    expect(body.nextCursor).toBeNull();
  });

  it('filters by source, type, statuses, event ID, time and payload', async () => {
    const eventIds = async (query: string) =>
      (await api('GET', `/api/events?${query}`)).body.events.map(
        (e: { eventId: string }) => e.eventId,
      );
    expect(await eventIds('source=stripe')).toEqual(['evt_received', 'evt_ignored']);
    expect(await eventIds('type=payment.succeeded&status=dead&status=failed')).toEqual([
      'evt_failed',
      'evt_dead',
    ]);
    expect(await eventIds('status=dead,ignored')).toEqual(['evt_ignored', 'evt_dead']);
    expect(await eventIds('event_id=evt_failed')).toEqual(['evt_failed']);
    const from = new Date(Date.now() - 3.5 * 60_000).toISOString();
    const to = new Date(Date.now() - 1.5 * 60_000).toISOString();
    expect(await eventIds(`from=${from}&to=${to}`)).toEqual(['evt_ignored', 'evt_failed']);
    expect(await eventIds(`payload=${encodeURIComponent('data.customer_id = cus_1')}`)).toEqual([
      'evt_ignored',
      'evt_dead',
      'evt_processed',
    ]);
  });

  it('pages with the cursor it returns', async () => {
    const first = await api('GET', '/api/events?limit=2');
    expect(first.body.events).toHaveLength(2);
    const second = await api('GET', `/api/events?limit=2&cursor=${first.body.nextCursor}`);
    const third = await api('GET', `/api/events?limit=2&cursor=${second.body.nextCursor}`);
    const all = [...first.body.events, ...second.body.events, ...third.body.events].map(
      (e) => e.eventId,
    );
    expect(all).toEqual(['evt_received', 'evt_ignored', 'evt_failed', 'evt_dead', 'evt_processed']);
    expect(third.body.nextCursor).toBeNull();
  });

  it('says which parameter is wrong', async () => {
    expect(await api('GET', '/api/events?status=lost')).toMatchObject({
      status: 400,
      body: { error: expect.stringMatching(/^status: unknown status "lost"/) },
    });
    expect((await api('GET', '/api/events?payload=nonsense')).body.error).toMatch(/^payload: /);
    expect((await api('GET', '/api/events?from=yesterday')).body.error).toMatch(/^from: /);
    expect((await api('GET', '/api/events?cursor=abc')).body.error).toMatch(/^cursor: /);
    // Dates JavaScript reads but Postgres refuses: a 400 naming the cursor, never a 500.
    for (const time of [
      '2026-02-30T00:00:00.000000Z',
      '2026-12-03T24:00:00.000000Z',
      '+275760-09-13T00:00:00.000Z',
      '0000-01-01T00:00:00.000000Z',
      'Thu, 03 Dec 2026 11:00:00 GMT',
    ]) {
      const cursor = Buffer.from(JSON.stringify([time, 1])).toString('base64url');
      const response = await api('GET', `/api/events?cursor=${cursor}`);
      expect(response.status, time).toBe(400);
      expect(response.body.error, time).toMatch(/^cursor: /);
    }
    expect((await api('GET', '/api/events?limit=lots')).status).toBe(400);
  });
});

describe('GET /api/events/:id and /api/stats', () => {
  it('shows one event with payload, headers and its job', async () => {
    const { status, body } = await api('GET', `/api/events/${ids.evt_processed}`);
    expect(status).toBe(200);
    expect(body.event).toMatchObject({
      eventId: 'evt_processed',
      payload: { data: { customer_id: 'cus_1' } },
      headers: { 'content-type': 'application/json' },
    });
    expect(body.job).toMatchObject({ id: jobIdFor(ids.evt_processed as number), state: 'unknown' });
    expect((await api('GET', '/api/events/999999')).status).toBe(404);
    expect((await api('GET', '/api/events/abc')).status).toBe(400);
  });

  it('reports the overview figures', async () => {
    const { body } = await api('GET', '/api/stats');
    expect(body.dead).toBe(1);
    expect(body.oldestUnfinished).toMatchObject({ eventId: 'evt_failed' });
    expect(body.perMinute).toHaveLength(60);
  });
});

describe('actions through the API', () => {
  it('refuses to replay processed, failed and waiting events, with the reason', async () => {
    expect(await api('POST', `/api/events/${ids.evt_processed}/replay`)).toMatchObject({
      status: 409,
      body: { ok: false, message: expect.stringContaining('must stay once') },
    });
    expect((await api('POST', `/api/events/${ids.evt_failed}/replay`)).status).toBe(409);
    expect((await api('POST', `/api/events/${ids.evt_received}/replay`)).status).toBe(409);
    expect(await statusOf('evt_processed')).toBe('processed');
  });

  it('retries a failed event now, and only a failed one', async () => {
    const rowId = ids.evt_failed as number;
    const job = webhookJob({ rowId, source: 'payments' }, { attempts: 3, backoffMs: 1000 });
    await dashboard.env.queue.add(job.name, job.data, { ...job.opts, delay: 3_600_000 });
    expect(await api('POST', `/api/events/${rowId}/retry-now`)).toMatchObject({
      status: 200,
      body: { ok: true },
    });
    expect(await dashboard.env.queue.getJobState(jobIdFor(rowId))).toBe('waiting');
    expect((await api('POST', `/api/events/${rowId}/retry-now`)).status).toBe(409);
    expect(await api('POST', `/api/events/${ids.evt_dead}/retry-now`)).toMatchObject({
      status: 409,
      body: { message: expect.stringContaining('Replay it instead') },
    });
  });

  it('counts, then replays a filter only when confirmed', async () => {
    expect((await api('GET', '/api/events/count?payload=data.customer_id%3Dcus_1')).body).toEqual({
      matching: 3,
      replayable: 2,
    });
    expect(
      (await api('POST', '/api/events/replay', { payload: 'data.customer_id = cus_1' })).status,
    ).toBe(400);
    expect(
      (
        await api('POST', '/api/events/replay', {
          payload: 'data.customer_id = cus_1',
          confirm: false,
        })
      ).status,
    ).toBe(400);
    const { status, body } = await api('POST', '/api/events/replay', {
      payload: 'data.customer_id = cus_1',
      confirm: true,
    });
    expect(status).toBe(200);
    expect(body).toEqual({ replayed: 2, batches: 1 });
    expect(await statusOf('evt_dead')).toBe('received');
    expect(await statusOf('evt_ignored')).toBe('received');
    expect(await statusOf('evt_processed')).toBe('processed');
    expect(await dashboard.env.queue.getJobState(jobIdFor(ids.evt_dead as number))).toBe('waiting');
  });
});

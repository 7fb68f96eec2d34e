import { jobIdFor, webhookJob } from '@webhook-inbox/queue';
import { API_TOKEN, dashboardPerFile, OperatorClient, seedRows } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const dashboard = dashboardPerFile();
const auth = { authorization: `Bearer ${API_TOKEN}` };
let client: OperatorClient;
let ids: Record<string, number>;

const LONG_ERROR = `Error: <b>ledger</b> refused ${'x'.repeat(200)}\n    at handler (payments.ts:10:5)`;

beforeAll(async () => {
  const rows = [
    // cus_a: a dead head with two events behind it.
    { eventId: 'a1', status: 'dead', lastError: LONG_ERROR, ordering: { key: 'cus_a', value: 1 } },
    { eventId: 'a2', ordering: { key: 'cus_a', value: 2 } },
    { eventId: 'a3', ordering: { key: 'cus_a', value: 3 } },
    // cus_b: a head still retrying, one behind it.
    { eventId: 'b1', status: 'failed', ordering: { key: 'cus_b', value: 1 } },
    { eventId: 'b2', ordering: { key: 'cus_b', value: 2 } },
    // cus_c: its head is done and the next simply waits for a worker: not blocked.
    { eventId: 'c1', status: 'processed', ordering: { key: 'cus_c', value: 1 } },
    { eventId: 'c2', ordering: { key: 'cus_c', value: 2 } },
    // Unordered and dead: it holds nothing back.
    { eventId: 'u1', status: 'dead' },
  ] as const;
  const rowIds = await seedRows(dashboard.env, rows);
  ids = Object.fromEntries(rows.map((row, i) => [row.eventId, rowIds[i] ?? 0]));
  client = new OperatorClient(dashboard.app);
  await client.logIn();
});

async function statusOf(eventId: string) {
  const rows = await dashboard.env.db.rows<{ status: string }>(
    'select status from webhook_events where event_id = $1',
    [eventId],
  );
  return rows[0]?.status;
}

/** The rows of the overview's blocked keys table, as the text of each row's cells. */
async function blockedRows() {
  const page = await client.get('/');
  expect(page.statusCode).toBe(200);
  const table = /data-testid="blocked-keys">[\s\S]*?<tbody>([\s\S]*?)<\/tbody>/.exec(
    page.body,
  )?.[1];
  if (!table) return { page: page.body, rows: [] };
  const rows = [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map(([, row]) =>
    [...(row ?? '').matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map(([, cell]) =>
      (cell ?? '').replace(/<[^>]+>/g, '').trim(),
    ),
  );
  return { page: page.body, rows };
}

describe('blocked keys in the console', () => {
  it('lists each blocked key on the overview: source, key, blocking event, status, error, waiting', async () => {
    const { page, rows } = await blockedRows();
    expect(page).toContain('Blocked keys');
    expect(rows.map((row) => [row[0], row[1], row[2], row[3], row[4]])).toEqual([
      ['payments', 'cus_a', 'a1', 'dead', '2'],
      ['payments', 'cus_b', 'b1', 'failed', '1'],
    ]);
    expect(page).toContain(`href="/events/${ids.a1}">a1</a>`);
    // The error is cut to its first line and 120 characters; the tooltip has all of it, escaped.
    const firstLine = LONG_ERROR.split('\n')[0] ?? '';
    const escaped = `${firstLine.slice(0, 119)}…`.replace(/</g, '&lt;').replace(/>/g, '&gt;');
    expect(rows[0]?.[5]).toBe(escaped);
    expect(page).toContain('title="Error: &lt;b&gt;ledger&lt;/b&gt; refused');
    expect(page).not.toContain('<b>ledger</b>');
  });

  it("says on the blocking event's page that it holds its key, and offers Skip there only", async () => {
    const blocking = await client.get(`/events/${ids.a1}`);
    expect(blocking.body).toMatch(
      /data-testid="blocked-key">It holds ordering key <span class="mono">cus_a<\/span>: 2 events of the key wait until/,
    );
    expect(blocking.body).toContain(`action="/events/${ids.a1}/skip"`);
    for (const eventId of ['a2', 'c1', 'u1']) {
      const page = await client.get(`/events/${ids[eventId]}`);
      expect(page.body, eventId).not.toContain('data-testid="blocked-key"');
      expect(page.body, eventId).not.toContain('/skip"');
    }
  });

  it('refuses a skip without the CSRF token and changes nothing', async () => {
    const response = await client.postForm(`/events/${ids.a1}/skip`, {});
    expect(response.statusCode).toBe(403);
    expect(await statusOf('a1')).toBe('dead');
  });

  it('refuses a forged skip of an event that holds nothing back, and says why', async () => {
    const csrf = await client.csrfFrom(`/events/${ids.c1}`);
    const processed = await client.postForm(`/events/${ids.c1}/skip`, { _csrf: csrf });
    expect(processed.statusCode).toBe(409);
    expect(processed.body).toContain('Cannot skip it: it is processed, so it holds nothing back.');
    const unordered = await client.postForm(`/events/${ids.u1}/skip`, { _csrf: csrf });
    expect(unordered.statusCode).toBe(409);
    expect(unordered.body).toContain('its source does not order events');
    expect(await statusOf('u1')).toBe('dead');
    const missing = await client.postForm('/events/999999/skip', { _csrf: csrf });
    expect(missing.statusCode).toBe(404);
  });

  it('skips the blocking event from its page, starts the next one and takes the key off the overview', async () => {
    const next = webhookJob(
      { rowId: ids.a2 ?? 0, source: 'payments' },
      { attempts: 3, backoffMs: 1000 },
    );
    await dashboard.env.queue.add(next.name, next.data, { ...next.opts, delay: 3_600_000 });

    const csrf = await client.csrfFrom(`/events/${ids.a1}`);
    const done = await client.postForm(`/events/${ids.a1}/skip`, { _csrf: csrf });
    expect(done.statusCode).toBe(303);
    const page = await client.get(`/events/${ids.a1}`);
    expect(page.body).toContain(
      'Skipped: it is ignored now, and the next event of key cus_a can run.',
    );
    expect(page.body).not.toContain('data-testid="blocked-key"');
    expect(page.body).toContain('skipped (the events after it in its ordering key went on)');
    expect(await statusOf('a1')).toBe('ignored');
    expect(await (await dashboard.env.queue.getJob(jobIdFor(ids.a2 ?? 0)))?.getState()).toBe(
      'waiting',
    );
    const { rows } = await blockedRows();
    expect(rows.map((row) => row[1])).toEqual(['cus_b']);
  });
});

describe('blocked keys in the API', () => {
  async function api(method: 'GET' | 'POST', url: string) {
    const response = await dashboard.app.inject({ method, url, headers: auth });
    return { status: response.statusCode, body: response.json() };
  }

  it('lists blocked keys at GET /api/blocked-keys and skips at POST /api/events/:id/skip', async () => {
    const listed = await api('GET', '/api/blocked-keys');
    expect(listed.status).toBe(200);
    expect(listed.body.keys).toEqual([
      {
        source: 'payments',
        key: 'cus_b',
        blockingRowId: ids.b1,
        blockingEventId: 'b1',
        status: 'failed',
        lastError: 'Error: handler threw',
        waiting: 1,
      },
    ]);
    const skipped = await api('POST', `/api/events/${ids.b1}/skip`);
    expect(skipped).toMatchObject({ status: 200, body: { ok: true } });
    const again = await api('POST', `/api/events/${ids.b1}/skip`);
    expect(again).toMatchObject({ status: 409, body: { ok: false } });
    expect(again.body.message).toContain('it is ignored, so it holds nothing back');
    expect((await api('GET', '/api/blocked-keys')).body.keys).toEqual([]);
  });

  it('refuses a skip without credentials', async () => {
    const response = await dashboard.app.inject({
      method: 'POST',
      url: `/api/events/${ids.u1}/skip`,
    });
    expect(response.statusCode).toBe(401);
  });

  it('shows no blocked keys section once none is blocked', async () => {
    const { page, rows } = await blockedRows();
    expect(rows).toEqual([]);
    expect(page).not.toContain('Blocked keys');
  });
});

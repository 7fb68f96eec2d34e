import { eventSubscriberDetails, getEvent } from '@webhook-inbox/inbox';
import { jobIdFor } from '@webhook-inbox/queue';
import { dashboardPerFile, OperatorClient, seedRows } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';

const console_ = dashboardPerFile();
let client: OperatorClient;
let rowId: number;

beforeAll(async () => {
  [rowId] = (await seedRows(console_.env, [
    {
      eventId: 'evt_fan_console',
      status: 'dead',
      subscribers: { audit: 'dead', books: 'processed', crm: 'dead' },
    },
  ])) as [number];
  client = new OperatorClient(console_.app);
  await client.logIn();
});

const ledgerOf = async (id: number) =>
  Object.fromEntries(
    (await eventSubscriberDetails(console_.env.db, id)).map((row) => [row.subscriber, row.status]),
  );

/** The subscribers table's row for one subscriber. */
function subscriberRow(page: string, subscriber: string): string {
  const start = page.indexOf(`data-subscriber="${subscriber}"`);
  if (start < 0) throw new Error(`no row for ${subscriber} on the page`);
  return page.slice(start, page.indexOf('</tr>', start));
}

describe("an event's in-process subscribers on its page", () => {
  it('lists each with its status, attempts and last error, offering replay only to the failed', async () => {
    const page = (await client.get(`/events/${rowId}`)).body;
    expect(page).toContain('data-testid="subscribers"');
    const crm = subscriberRow(page, 'crm');
    expect(crm).toContain('data-testid="subscriber-status">dead<');
    expect(crm).toContain('Error: handler threw');
    expect(crm).toContain('name="subscriber" value="crm"');
    const books = subscriberRow(page, 'books');
    expect(books).toContain('>processed<');
    expect(books).not.toContain('name="subscriber"');
  });

  it('replays one subscriber alone: the others keep their state', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm(`/events/${rowId}/replay`, {
      _csrf: csrf,
      subscriber: 'crm',
    });
    expect(response.statusCode).toBe(303);
    expect(await ledgerOf(rowId)).toEqual({ audit: 'dead', books: 'processed', crm: 'pending' });
    expect((await getEvent(console_.env.db, rowId))?.status).toBe('received');
    expect(await console_.env.queue.getJobState(jobIdFor(rowId))).toBe('waiting');
  });

  it('refuses to replay a subscriber that processed the event, saying why', async () => {
    const [other] = (await seedRows(console_.env, [
      { eventId: 'evt_fan_done', status: 'dead', subscribers: { books: 'processed', crm: 'dead' } },
    ])) as [number];
    const csrf = await client.csrfFrom(`/events/${other}`);
    const response = await client.postForm(`/events/${other}/replay`, {
      _csrf: csrf,
      subscriber: 'books',
    });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('subscriber &quot;books&quot; processed it');
    expect(await ledgerOf(other)).toEqual({ books: 'processed', crm: 'dead' });
  });

  it('refuses a subscriber name the ledger could not hold', async () => {
    const csrf = await client.csrfFrom(`/events/${rowId}`);
    const response = await client.postForm(`/events/${rowId}/replay`, {
      _csrf: csrf,
      subscriber: 'Not A Name',
    });
    expect(response.statusCode).toBe(400);
  });

  it('shows no subscribers section for an event without ledger rows', async () => {
    const [plain] = (await seedRows(console_.env, [{ eventId: 'evt_single' }])) as [number];
    expect((await client.get(`/events/${plain}`)).body).not.toContain('data-testid="subscribers"');
  });
});

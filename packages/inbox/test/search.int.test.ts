import { createTestEnvironment, environmentPerFile, seedRows } from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EventFilter, parseEventFilter } from '../src/filter.ts';
import { countEvents, getEvent, searchEvents } from '../src/search.ts';

const env = environmentPerFile();
let ids: number[];

beforeAll(async () => {
  ids = await seedRows(env, [
    {
      eventId: 'evt_a',
      status: 'processed',
      minutesAgo: 50,
      payload: { data: { customer_id: 'cus_1', amount: 4900 } },
    },
    {
      eventId: 'evt_b',
      status: 'dead',
      minutesAgo: 40,
      payload: { data: { customer_id: 'cus_2', amount: 100 } },
    },
    {
      eventId: 'evt_c',
      status: 'failed',
      minutesAgo: 30,
      payload: { data: { customer_id: 'cus_1', amount: 250 } },
    },
    { source: 'stripe', eventId: 'evt_d', type: 'invoice.paid', status: 'ignored', minutesAgo: 20 },
    {
      source: 'stripe',
      eventId: 'evt_a',
      type: 'invoice.paid',
      status: 'received',
      minutesAgo: 10,
    },
    { eventId: 'evt_e', status: 'processed', minutesAgo: 5, pruned: true },
  ]);
});

async function eventIds(filter: EventFilter, limit = 50) {
  const outcome = await searchEvents(env.db, filter, { limit });
  if (outcome.kind !== 'page') throw new Error(outcome.kind);
  return outcome.rows.map((row) => `${row.source}/${row.eventId}`);
}

function parsed(input: Parameters<typeof parseEventFilter>[0]): EventFilter {
  const result = parseEventFilter(input);
  if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
  return result.value;
}

describe('searchEvents', () => {
  it('lists newest first without payloads or headers', async () => {
    const outcome = await searchEvents(env.db, {}, { limit: 50 });
    if (outcome.kind !== 'page') throw new Error(outcome.kind);
    expect(outcome.rows.map((row) => row.eventId)).toEqual([
      'evt_e',
      'evt_a',
      'evt_d',
      'evt_c',
      'evt_b',
      'evt_a',
    ]);
    expect(outcome.rows[0]).not.toHaveProperty('payload');
    expect(outcome.rows[0]).not.toHaveProperty('headers');
    expect(outcome.rows[0]?.pruned).toBe(true);
    expect(outcome.nextCursor).toBeNull();
  });

  it('filters by source, type, status (one or several) and event ID', async () => {
    expect(await eventIds({ source: 'stripe' })).toEqual(['stripe/evt_a', 'stripe/evt_d']);
    expect(await eventIds({ type: 'invoice.paid', statuses: ['ignored'] })).toEqual([
      'stripe/evt_d',
    ]);
    expect(await eventIds(parsed({ status: 'dead,failed' }))).toEqual([
      'payments/evt_c',
      'payments/evt_b',
    ]);
    expect(await eventIds(parsed({ status: ['dead', 'ignored'] }))).toEqual([
      'stripe/evt_d',
      'payments/evt_b',
    ]);
    expect(await eventIds({ eventId: 'evt_a' })).toEqual(['stripe/evt_a', 'payments/evt_a']);
  });

  it('filters by a received time range, from inclusive, to exclusive', async () => {
    const now = Date.now();
    const filter = {
      receivedFrom: new Date(now - 45 * 60_000),
      receivedTo: new Date(now - 15 * 60_000),
    };
    expect(await eventIds(filter)).toEqual(['stripe/evt_d', 'payments/evt_c', 'payments/evt_b']);
  });

  it('matches payloads by containment, in JSON or as path = value', async () => {
    expect(await eventIds(parsed({ payload: 'data.customer_id = cus_1' }))).toEqual([
      'payments/evt_c',
      'payments/evt_a',
    ]);
    expect(await eventIds(parsed({ payload: '{"data":{"customer_id":"cus_2"}}' }))).toEqual([
      'payments/evt_b',
    ]);
    expect(await eventIds(parsed({ payload: 'data.amount = 4900' }))).toEqual(['payments/evt_a']);
    expect(await eventIds(parsed({ payload: 'data.amount = "4900"' }))).toEqual([]);
  });

  it('treats a payload value full of SQL as text to match', async () => {
    const filter = parsed({ payload: "data.customer_id = x' or 1=1 --" });
    expect(filter.payloadContains).toEqual({ data: { customer_id: "x' or 1=1 --" } });
    expect(await eventIds(filter)).toEqual([]);
    expect(await countEvents(env.db, {})).toBe(6);
  });

  it('pages by keyset: every row once, in order, across pages', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const outcome = await searchEvents(env.db, {}, { limit: 4, cursor });
      if (outcome.kind !== 'page') throw new Error(outcome.kind);
      seen.push(...outcome.rows.map((row) => `${row.source}/${row.eventId}`));
      cursor = outcome.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(2);
    expect(seen).toEqual(await eventIds({}));
  });

  it('keeps rows received in the same microsecond apart by ID', async () => {
    const local = await createTestEnvironment();
    try {
      await local.db.rows(
        `insert into webhook_events (source, event_id, event_type, payload, headers, received_at)
         select 'payments', 'same_' || n, 't', '{}', '{}', '2026-01-01T00:00:00.123456Z'
         from generate_series(1, 5) n`,
      );
      const first = await searchEvents(local.db, {}, { limit: 2 });
      if (first.kind !== 'page' || !first.nextCursor) throw new Error('expected a next page');
      const second = await searchEvents(local.db, {}, { limit: 10, cursor: first.nextCursor });
      if (second.kind !== 'page') throw new Error(second.kind);
      expect([...first.rows, ...second.rows].map((row) => row.eventId)).toEqual([
        'same_5',
        'same_4',
        'same_3',
        'same_2',
        'same_1',
      ]);
    } finally {
      await local.cleanup();
    }
  });

  it('refuses a cursor it did not make', async () => {
    expect(await searchEvents(env.db, {}, { limit: 5, cursor: 'nonsense' })).toEqual({
      kind: 'bad_cursor',
    });
  });

  it('counts what a filter matches', async () => {
    expect(await countEvents(env.db, { source: 'payments' })).toBe(4);
    expect(await countEvents(env.db, parsed({ payload: 'data.customer_id = cus_1' }))).toBe(2);
  });

  it('gets one event with everything, or nothing', async () => {
    const row = await getEvent(env.db, ids[1] as number);
    expect(row).toMatchObject({
      eventId: 'evt_b',
      status: 'dead',
      lastError: 'Error: handler threw',
    });
    expect(row?.payload).toEqual({ data: { customer_id: 'cus_2', amount: 100 } });
    expect(row?.headers).toEqual({});
    expect(await getEvent(env.db, 999_999)).toBeUndefined();
  });
});

describe('parseEventFilter', () => {
  it('says which field is wrong and why', () => {
    expect(parseEventFilter({ status: 'dead,lost' })).toMatchObject({ ok: false, field: 'status' });
    expect(parseEventFilter({ from: 'yesterday' })).toMatchObject({ ok: false, field: 'from' });
    expect(parseEventFilter({ payload: 'cus_1' })).toMatchObject({ ok: false, field: 'payload' });
    expect(parseEventFilter({ payload: '[1]' })).toMatchObject({ ok: false, field: 'payload' });
  });

  it('reads a time without a zone as UTC and ignores empty fields', () => {
    expect(parseEventFilter({ from: '2026-11-23T18:00', source: ' ', type: '' })).toEqual({
      ok: true,
      value: { receivedFrom: new Date('2026-11-23T18:00:00Z') },
    });
  });
});

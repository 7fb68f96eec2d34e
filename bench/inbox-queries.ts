import { parseArgs } from 'node:util';
import { createDb } from '@webhook-inbox/db';
import {
  countEvents,
  countReplayable,
  type EventFilter,
  inboxStats,
  parseEventFilter,
  searchEvents,
} from '@webhook-inbox/inbox';
import { createTestDatabase } from '@webhook-inbox/testing';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, runs: { type: 'string', default: '5' } },
});
const rows = Number(values.rows);
const runs = Number(values.runs);

const database = await createTestDatabase();
const client = createDb(database.url, { max: 4 });

// Every statement the inbox functions send, so each can be explained afterwards as it ran.
interface Statement {
  text: string;
  values: unknown[];
}
let captured: Statement[] = [];
const query = client.pool.query.bind(client.pool) as (...args: unknown[]) => Promise<unknown>;
client.pool.query = ((...args: unknown[]) => {
  const [first, second] = args;
  if (typeof first === 'string')
    captured.push({ text: first, values: (second as unknown[]) ?? [] });
  else if (first && typeof first === 'object' && 'text' in first) {
    const config = first as { text: string; values?: unknown[] };
    captured.push({ text: config.text, values: config.values ?? (second as unknown[]) ?? [] });
  }
  return query(...args);
}) as typeof client.pool.query;

async function seed() {
  const started = performance.now();
  // Sources, types and statuses skewed as in a real inbox (one source and one type rare);
  // 50,000 customers; 30 days.
  await client.rows(
    `insert into webhook_events
       (source, event_id, event_type, payload, headers, status, attempts, last_error,
        received_at, processed_at)
     select src, 'evt_' || n, typ,
       jsonb_build_object('id', 'evt_' || n, 'type', typ,
         'data', jsonb_build_object('customer_id', 'cus_' || (n % 50000), 'amount', n % 10000,
                                    'currency', 'INR')),
       '{"content-type":"application/json","user-agent":"bench"}'::jsonb,
       st::event_status, case when st = 'dead' then 8 else 1 end,
       case when st in ('dead', 'failed') then 'Error: handler threw' end,
       now() - (($1 - n)::float8 / $1) * interval '30 days',
       case when st = 'processed' then now() - (($1 - n)::float8 / $1) * interval '30 days' end
     from (
       select n,
         case when n % 5000 = 0 then 'legacy' when n % 20 < 12 then 'payments' when n % 20 < 17 then 'stripe'
              when n % 20 < 19 then 'github' else 'polka' end as src,
         case when n % 5000 = 1 then 'rare.type' else 'type.' || (n % 97 % 20) end as typ,
         case when n % 1000 < 5 then 'dead' when n % 1000 < 10 then 'failed'
              when n % 1000 < 25 then 'ignored' when n > $1 - 200 then 'received'
              else 'processed' end as st
       from generate_series(1, $1) n
     ) generated`,
    [rows],
  );
  await client.rows('vacuum analyze webhook_events');
  return Math.round(performance.now() - started);
}

// The console's indexes, which every ingress INSERT also maintains.
const CONSOLE_INDEXES = [
  'webhook_events_received_at_id_idx',
  'webhook_events_source_received_at_idx',
  'webhook_events_type_received_at_idx',
  'webhook_events_event_id_idx',
  'webhook_events_payload_idx',
];
const INSERTS = 100_000;

/**
 * Microseconds of Postgres work per inserted row, in one statement (so commit latency, which
 * single-row inserts are dominated by, does not hide the cost of maintaining the indexes).
 */
async function insertCost(tag: string): Promise<number> {
  const started = performance.now();
  await client.rows(
    `insert into webhook_events (source, event_id, event_type, payload, headers)
     select 'payments', $1 || n, 'payment.succeeded',
       jsonb_build_object('id', $1 || n, 'data', jsonb_build_object('customer_id', 'cus_' || (n % 500), 'amount', n)),
       '{"content-type":"application/json"}'::jsonb
     from generate_series(1, $2) n`,
    [`${tag}_`, INSERTS],
  );
  return Math.round(((performance.now() - started) * 1000) / INSERTS);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return Math.round((sorted[Math.floor(sorted.length / 2)] ?? 0) * 100) / 100;
}

async function explain({ text, values }: Statement) {
  const result = await client.pool.query<{ 'QUERY PLAN': string }>(
    `explain (analyze, buffers) ${text}`,
    values,
  );
  const plan = result.rows.map((row) => row['QUERY PLAN']);
  const executionMs = Number(/Execution Time: ([\d.]+)/.exec(plan.join('\n'))?.[1]);
  const indexes = [...new Set(plan.join('\n').match(/webhook_events_\w+|Seq Scan/g) ?? [])];
  return { executionMs, indexes, plan };
}

async function measure(name: string, run: () => Promise<unknown>) {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    captured = [];
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  const statements = captured.filter(({ text }) => /^\s*(select|with)/i.test(text));
  captured = [];
  const plans = [];
  for (const statement of statements) plans.push(await explain(statement));
  const result = {
    name,
    medianMs: median(samples),
    maxMs: Math.round(Math.max(...samples) * 100) / 100,
    plans,
  };
  const used = plans.map((plan) => `${plan.executionMs} ms via ${plan.indexes.join(' + ')}`);
  console.log(`${name.padEnd(44)} ${String(result.medianMs).padStart(9)} ms   ${used.join('; ')}`);
  return result;
}

function filter(input: Parameters<typeof parseEventFilter>[0]): EventFilter {
  const parsed = parseEventFilter(input);
  if (!parsed.ok) throw new Error(`${parsed.field}: ${parsed.reason}`);
  return parsed.value;
}

const page = (f: EventFilter) => () => searchEvents(client, f, { limit: 50 });
const day = 24 * 3600_000;
const hourTenDaysAgo = {
  from: new Date(Date.now() - 10 * day).toISOString(),
  to: new Date(Date.now() - 10 * day + 3600_000).toISOString(),
};

try {
  console.log(`seeding ${rows} events…`);
  const seedMs = await seed();
  console.log(`seeded in ${seedMs} ms; median of ${runs} runs each:`);

  // A cursor deep into the list, reached by following pages as the console does.
  let deepCursor: string | undefined;
  for (let i = 0; i < 200; i += 1) {
    const outcome = await searchEvents(client, {}, { limit: 50, cursor: deepCursor });
    if (outcome.kind !== 'page' || !outcome.nextCursor) break;
    deepCursor = outcome.nextCursor;
  }

  const results = [
    await measure('list: newest 50', page({})),
    await measure('list: page 201 (keyset)', () =>
      searchEvents(client, {}, { limit: 50, cursor: deepCursor }),
    ),
    await measure('list: source=github', page(filter({ source: 'github' }))),
    await measure('list: type=type.7', page(filter({ type: 'type.7' }))),
    await measure('list: rare source (0.02 %)', page(filter({ source: 'legacy' }))),
    await measure('list: rare type (0.02 %)', page(filter({ type: 'rare.type' }))),
    await measure('list: status=dead', page(filter({ status: 'dead' }))),
    await measure('list: status=dead,failed', page(filter({ status: 'dead,failed' }))),
    await measure('list: event ID', page(filter({ eventId: 'evt_123457' }))),
    await measure('list: one hour, 10 days ago', page(filter(hourTenDaysAgo))),
    await measure(
      'list: payload data.customer_id = cus_4242',
      page(filter({ payload: 'data.customer_id = cus_4242' })),
    ),
    await measure(
      'list: payload + status=dead',
      page(filter({ payload: 'data.customer_id = cus_4005', status: 'dead' })),
    ),
    await measure(
      'list: source + status + hour',
      page(filter({ source: 'payments', status: 'processed', ...hourTenDaysAgo })),
    ),
    await measure('count: all', () => countEvents(client, {})),
    await measure('count: status=dead', () => countEvents(client, filter({ status: 'dead' }))),
    await measure('count: payload', () =>
      countEvents(client, filter({ payload: 'data.customer_id = cus_4242' })),
    ),
    await measure('count replayable: source=stripe,status=dead', () =>
      countReplayable(client, filter({ source: 'stripe', status: 'dead' })),
    ),
    await measure('stats: overview', () => inboxStats(client)),
  ];

  const withIndexesUs = await insertCost('with');
  for (const name of CONSOLE_INDEXES) await client.rows(`drop index ${name}`);
  const withoutIndexesUs = await insertCost('without');
  console.log(
    `insert: ${withIndexesUs} µs a row with the console's indexes, ${withoutIndexesUs} µs without`,
  );

  writeResults('inbox-queries', {
    rows,
    runs,
    seedMs,
    results,
    insertMicros: { withIndexesUs, withoutIndexesUs },
  });
} finally {
  await client.close();
  await database.drop();
}

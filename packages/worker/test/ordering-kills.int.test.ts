import { hash } from 'node:crypto';
import { type OrderingSpec, orderingOf } from '@webhook-inbox/config';
import { type EventToStore, storeEvents } from '@webhook-inbox/inbox';
import { queueRows } from '@webhook-inbox/inbox-queue';
import { addJobs, createRedis, createWebhookQueue, webhookJob } from '@webhook-inbox/queue';
import { type AppProcess, TestStack, testServices, waitFor } from '@webhook-inbox/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREATE_EFFECTS_TABLE, EFFECTS, type OrderedPayload } from './fixtures/effect-handlers.ts';

// Ordered events over many keys, their jobs shuffled and some doubled, drained by two real
// worker processes while one of them is SIGKILLed three times: per key, the handler's effects
// commit in the order the events were received, each event's exactly once.

// 10,000 events, 100 a key: the drain, three kills and three worker start-ups take about a
// minute on an idle 2-core machine, so every wait is bounded in minutes, not seconds, to hold
// on a loaded one.
const KEYS = 100;
const PER_KEY = 100;
const EVENTS = KEYS * PER_KEY;
/** Processed counts at which a worker is killed: three kills, all before the drain ends. */
const KILL_AT = [0.15, 0.4, 0.65].map((share) => Math.round(share * EVENTS));

const HANDLERS_MODULE = 'packages/worker/test/fixtures/effect-handlers.ts';
const WORKER = { HANDLERS_MODULE };
const RETRY = { attempts: 10, backoffMs: 200 };
const BY_KEY: OrderingSpec = { key: ['key'], by: 'received' };

let stack: TestStack;

beforeEach(async () => {
  stack = await TestStack.create();
  await stack.db.rows(CREATE_EFFECTS_TABLE);
});
afterEach(async () => {
  await stack.stop();
});

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Each key's events 1…PER_KEY, the keys interleaved at random, as a provider sends them. */
function orderedEvents(): EventToStore[] {
  const next = new Map<string, number>();
  const keys = shuffled(Array.from({ length: EVENTS }, (_, i) => `k${i % KEYS}`));
  return keys.map((key) => {
    const seq = (next.get(key) ?? 0) + 1;
    next.set(key, seq);
    const payload: OrderedPayload = { key, seq };
    const body = JSON.stringify(payload);
    const order = orderingOf(BY_KEY, payload);
    return {
      source: EFFECTS.source,
      eventId: `ok_${key}_${seq}`,
      eventType: EFFECTS.type,
      body,
      headers: '{"content-type":"application/json"}',
      bodySha256: hash('sha256', body, 'hex'),
      orderingKey: order?.key,
      orderingValue: order?.value,
    };
  });
}

/** Stored in chunks, one after another, so the received order is the events' order. */
async function storeAll(events: readonly EventToStore[]): Promise<number[]> {
  const rowIds: number[] = [];
  for (let i = 0; i < events.length; i += 500) {
    for (const outcome of await storeEvents(stack.db, events.slice(i, i + 500))) {
      if (outcome.kind !== 'inserted') throw new Error(`an event was not new: ${outcome.kind}`);
      rowIds.push(outcome.rowId);
    }
  }
  return rowIds;
}

/**
 * Every row's job in a shuffled order, in chunks as a busy ingress queues them, each chunk
 * followed by a second job for a third of its rows (a relay's or a replay's redelivery).
 */
async function queueShuffledWithDuplicates(rowIds: readonly number[]) {
  const redis = createRedis(testServices.redisUrl, 'producer');
  const queue = createWebhookQueue(redis, stack.queuePrefix);
  const retryPolicies = new Map([[EFFECTS.source, RETRY]]);
  try {
    const order = shuffled(rowIds);
    for (let i = 0; i < order.length; i += 200) {
      const rows = order.slice(i, i + 200).map((rowId) => ({ rowId, source: EFFECTS.source }));
      await queueRows({ db: stack.db, queue, retryPolicies }, rows);
      const again = rows.filter((_, j) => j % 3 === 0).map((row) => webhookJob(row, RETRY));
      await addJobs(
        queue,
        again.map((job) => ({ ...job, opts: { ...job.opts, jobId: `again-${job.data.rowId}` } })),
      );
    }
  } finally {
    await queue.close();
    redis.disconnect();
  }
}

async function processedCount(): Promise<number> {
  const [row] = await stack.db.rows<{ n: number }>(
    `select count(*)::int as n from webhook_events where status = 'processed'`,
  );
  return row?.n ?? 0;
}

/** At each of KILL_AT, SIGKILLs one of `workers` and starts another; the processed counts then. */
async function killDuringDrain(workers: AppProcess[]): Promise<number[]> {
  const processedAtKills: number[] = [];
  for (const threshold of KILL_AT) {
    await waitFor(async () => ((await processedCount()) >= threshold ? true : undefined), {
      timeoutMs: 120_000,
      intervalMs: 50,
      what: `${threshold} events processed before a kill`,
    });
    const before = [...workers];
    await stack.killAndReplaceWorker(workers, WORKER);
    const victim = before.find((worker) => !workers.includes(worker));
    expect((await victim?.exited)?.signal).toBe('SIGKILL');
    processedAtKills.push(await processedCount());
  }
  return processedAtKills;
}

/** Per key, the seqs `query` lists (its rows: key, seqs). */
async function seqsByKey(query: string): Promise<Map<string, number[]>> {
  const rows = await stack.db.rows<{ key: string; seqs: number[] }>(query);
  return new Map(rows.map((row) => [row.key, row.seqs]));
}

describe('ordered events drained while workers are SIGKILLed', () => {
  it('applies each key’s events in received order, each exactly once', async () => {
    const rowIds = await storeAll(orderedEvents());
    const workers = await Promise.all([stack.startWorker(WORKER), stack.startWorker(WORKER)]);
    const [processedAtKills] = await Promise.all([
      killDuringDrain(workers),
      queueShuffledWithDuplicates(rowIds),
    ]);
    // Each kill hit a drain still under way.
    expect(processedAtKills.every((n) => n < EVENTS)).toBe(true);
    await waitFor(async () => ((await processedCount()) === EVENTS ? true : undefined), {
      timeoutMs: 180_000,
      intervalMs: 200,
      what: 'every event to be processed after the kills',
    });

    // Exactly once: one attempt each, recorded once, and one effect each.
    const [once] = await stack.db.rows<{ rows: number; attempts: number; entries: number }>(
      `select count(*)::int as rows, sum(w.attempts)::int as attempts,
         (select count(*)::int from webhook_event_attempts a
           where a.kind = 'attempt' and a.outcome = 'processed') as entries
       from webhook_events w`,
    );
    expect(once).toEqual({ rows: EVENTS, attempts: EVENTS, entries: EVENTS });
    const [effects] = await stack.db.rows<{ n: number; distinct: number }>(
      `select count(*)::int as n, count(distinct (key, seq))::int as distinct from ${EFFECTS.table}`,
    );
    expect(effects).toEqual({ n: EVENTS, distinct: EVENTS });

    // In order: per key, the order the effects were written in (the serial each takes in its
    // event's transaction) is the events' received order (their row IDs).
    const received = await seqsByKey(
      `select payload->>'key' as key, array_agg((payload->>'seq')::int order by id) as seqs
       from webhook_events group by 1`,
    );
    const applied = await seqsByKey(
      `select key, array_agg(seq order by n) as seqs from ${EFFECTS.table} group by 1`,
    );
    expect(received.size).toBe(KEYS);
    expect(applied).toEqual(received);
  }, 420_000);
});

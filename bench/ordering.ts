// `node --import tsx bench/ordering.ts [--events 20000] [--concurrency 10] [--keys 10000,100]`:
// jobs/s of our worker draining a backlog of payments from a source ordered by customer
// (`ordering: { key: "data.customer_id", by: "received" }`) spread over each number of keys,
// against the same worker on as many unordered payments (over as many customers as the first
// keyed run, so the handler's work is the same), in the same run, on the same settings. Stored
// and queued as the ingress does (`storeEvents` with the key `orderingOf` gives, `queueRows`),
// timed after a warm-up. Checked after each run: every event processed exactly once and, for
// the keyed runs, each key's events processed in the order they were received.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { OrderingSpec } from '@webhook-inbox/config';
import type { Database } from '@webhook-inbox/db';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  deleteRedisKeys,
  STACK_SECRET,
  TestStack,
  testServices,
  uniqueName,
} from '@webhook-inbox/testing';
import {
  checkExactlyOnce,
  jobsLeft,
  type PaymentSpread,
  paymentEvents,
  storeAndQueue,
} from './backlog.ts';
import { type Drain, timeDrain } from './drain.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '10' },
    keys: { type: 'string', default: '10000,100' },
  },
});
const events = Number(values.events);
const concurrency = values.concurrency;
const keyCounts = values.keys.split(',').map(Number);
const warmup = Math.max(500, Math.round(events / 10));
const total = warmup + events;
const BY_CUSTOMER: OrderingSpec = { key: ['data.customer_id'], by: 'received' };

/** A backlog of `total` payments stored, queued and drained by a worker of its own. */
async function drainBacklog(
  stack: TestStack,
  tag: string,
  spread: PaymentSpread,
  sourcesFile?: string,
): Promise<Drain> {
  const prefix = uniqueName('q');
  const redis = createRedis(testServices.redisUrl, 'worker');
  const queue = createWebhookQueue(redis, prefix);
  try {
    await storeAndQueue(
      stack.db,
      { db: stack.db, queue, retryPolicies: new Map() },
      paymentEvents(tag, total, 'payments', spread),
    );
    const worker = await stack.startWorker({
      QUEUE_PREFIX: prefix,
      ...(sourcesFile && { SOURCES_FILE: sourcesFile }),
      WORKER_CONCURRENCY: concurrency,
      LOG_LEVEL: 'info',
      // The production defaults, not the test stack's quick-recovery settings.
      WORKER_LOCK_DURATION_MS: '10000',
      WORKER_STALLED_INTERVAL_MS: '5000',
      RELAY_INTERVAL_MS: '5000',
      RELAY_ORPHAN_AGE_MS: '30000',
    });
    // Jobs waiting for their key's turn are delayed, and counted as left.
    const drain = await timeDrain({
      workers: [worker],
      measured: events,
      left: () => jobsLeft(queue),
    });
    worker.kill('SIGTERM');
    await worker.exited;
    return drain;
  } finally {
    await queue.close();
    redis.disconnect();
    await deleteRedisKeys(testServices.redisUrl, prefix);
  }
}

/**
 * Per key, the handlers' transactions in received order: a row's `processed_at` (its
 * transaction's start) never earlier than that of the key's row before it. Also that every row
 * was stored with its key. Returns the differences (none: []).
 */
async function checkOrder(db: Database, tag: string, keys: number) {
  const [row] = await db.rows<{ keys: number; unkeyed: number; out_of_order: number }>(
    `select count(distinct ordering_key)::int as keys,
       count(*) filter (where ordering_key is null)::int as unkeyed,
       count(*) filter (where before > processed_at)::int as out_of_order
     from (select ordering_key, processed_at,
             lag(processed_at) over (partition by ordering_key order by id) as before
           from webhook_events where starts_with(event_id, $1 || '_')) k`,
    [tag],
  );
  const problems: string[] = [];
  const expected = Math.min(keys, total);
  if (row?.keys !== expected) problems.push(`${row?.keys} keys stored, ${expected} expected`);
  if (row?.unkeyed) problems.push(`${row.unkeyed} rows stored without a key`);
  if (row?.out_of_order) problems.push(`${row.out_of_order} rows processed before the one ahead`);
  return problems;
}

function writeSourcesFile(dir: string): string {
  const file = join(dir, 'sources.json');
  writeFileSync(
    file,
    JSON.stringify([
      {
        name: 'payments',
        provider: 'hmac',
        secret: STACK_SECRET,
        // The test stack's own payments source, ordered.
        retry: { attempts: 10, backoffMs: 200 },
        ordering: { key: 'data.customer_id', by: 'received' },
      },
    ]),
  );
  return file;
}

const stack = await TestStack.create();
const dir = mkdtempSync(join(tmpdir(), 'wi-ordering-bench-'));
try {
  const sourcesFile = writeSourcesFile(dir);
  const run = Date.now().toString(36);
  const customers = keyCounts[0] ?? 10_000;

  const unorderedTag = `bou_${run}`;
  const unordered = await drainBacklog(stack, unorderedTag, { customers });
  const unorderedOnce = await checkExactlyOnce(stack.db, unorderedTag, total);
  console.log(
    `unordered, ${customers} customers: ${unordered.jobsPerSecond} jobs/s, CPU ${unordered.cpuCores} cores, ` +
      `peak RSS ${unordered.peakRssMb} MB; exactly once: ${unorderedOnce.length === 0 ? 'yes' : unorderedOnce.join('; ')}`,
  );

  const ordered = [];
  for (const keys of keyCounts) {
    const tag = `bo${keys}_${run}`;
    const spread = { customers: keys, ordering: BY_CUSTOMER };
    const drain = await drainBacklog(stack, tag, spread, sourcesFile);
    const exactlyOnce = await checkExactlyOnce(stack.db, tag, total);
    const inOrder = await checkOrder(stack.db, tag, keys);
    const ratio = Number((drain.jobsPerSecond / unordered.jobsPerSecond).toFixed(2));
    ordered.push({ keys, ...drain, ratio, exactlyOnce, inOrder });
    console.log(
      `ordered, ${keys} keys: ${drain.jobsPerSecond} jobs/s = ${ratio}× unordered, CPU ${drain.cpuCores} cores, ` +
        `peak RSS ${drain.peakRssMb} MB; exactly once: ${exactlyOnce.length === 0 ? 'yes' : exactlyOnce.join('; ')}; ` +
        `in order per key: ${inOrder.length === 0 ? 'yes' : inOrder.join('; ')}`,
    );
  }
  writeResults('ordering', {
    events,
    warmup,
    concurrency: Number(concurrency),
    unordered: { customers, ...unordered, exactlyOnce: unorderedOnce },
    ordered,
  });
  const problems = [unorderedOnce, ...ordered.flatMap((r) => [r.exactlyOnce, r.inOrder])];
  if (problems.some((p) => p.length > 0)) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}

// `node --import tsx bench/deliveries.ts [--events 20000] [--concurrency 10]`: deliveries/s from
// our worker to a no-op HTTP receiver on 127.0.0.1 (a process of its own), against the same
// worker running the example's in-process payments handler on as many events, in the same run.
// Both backlogs are stored and queued as the ingress does (`storeEvents`, `queueRows`) and timed
// after a warm-up. The forwarded source has no in-process handler, so each of its events also
// has its handler job, which ends `ignored`, as it does in production. Checked after the run:
// every delivery reached the receiver (by `webhook-id`) and its ledger row is `delivered`;
// duplicates are allowed (delivery is at least once) and counted.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '@webhook-inbox/db';
import { deliveryId } from '@webhook-inbox/delivery';
import { createDeliveryQueue, createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  AppProcess,
  deleteRedisKeys,
  STACK_SECRET,
  TestStack,
  testServices,
  uniqueName,
} from '@webhook-inbox/testing';
import { checkExactlyOnce, jobsLeft, paymentEvents, storeAndQueue } from './backlog.ts';
import { type Drain, timeDrain } from './drain.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '10' },
  },
});
const events = Number(values.events);
const concurrency = values.concurrency;
const warmup = Math.max(500, Math.round(events / 10));
const total = warmup + events;
const FORWARDED = 'forwarded';
const DESTINATION = 'receiver';

/** A backlog of `total` events of `source` stored, queued, and drained by a worker of its own. */
async function drainBacklog(
  stack: TestStack,
  sourcesFile: string,
  tag: string,
  source: string,
  receiver?: AppProcess,
): Promise<Drain> {
  const prefix = uniqueName('q');
  const redis = createRedis(testServices.redisUrl, 'worker');
  const queue = createWebhookQueue(redis, prefix);
  const deliveryQueue = createDeliveryQueue(redis, prefix);
  try {
    const destinations = receiver ? [DESTINATION] : [];
    await storeAndQueue(
      stack.db,
      { db: stack.db, queue, deliveryQueue, retryPolicies: new Map() },
      paymentEvents(tag, total, source, { destinations }),
    );
    const worker = await stack.startWorker({
      QUEUE_PREFIX: prefix,
      SOURCES_FILE: sourcesFile,
      DESTINATION_ALLOWED_HOSTS: '127.0.0.1',
      WORKER_CONCURRENCY: concurrency,
      DELIVERY_CONCURRENCY: concurrency,
      LOG_LEVEL: 'info',
      // The production defaults, not the test stack's quick-recovery settings.
      WORKER_LOCK_DURATION_MS: '10000',
      WORKER_STALLED_INTERVAL_MS: '5000',
      RELAY_INTERVAL_MS: '5000',
      RELAY_ORPHAN_AGE_MS: '30000',
    });
    // Timed from when the measured queue has only the timed events left, until both are empty.
    const measured = receiver ? deliveryQueue : queue;
    const drain = await timeDrain({
      workers: [worker],
      measured: events,
      warmupLeft: () => jobsLeft(measured),
      left: async () => (await jobsLeft(queue)) + (await jobsLeft(deliveryQueue)),
      ...(receiver && { metered: receiver }),
    });
    worker.kill('SIGTERM');
    await worker.exited;
    return drain;
  } finally {
    await Promise.all([queue.close(), deliveryQueue.close()]);
    redis.disconnect();
    await deleteRedisKeys(testServices.redisUrl, prefix);
  }
}

/** What the receiver counted against the run's `webhook-id`s; problems: [] when each arrived. */
async function checkReceived(receiverUrl: string, tag: string) {
  const response = await fetch(`${receiverUrl}/received`);
  const { requests, counts } = (await response.json()) as {
    requests: number;
    counts: Record<string, number>;
  };
  const expected = paymentEvents(tag, total, FORWARDED).map((event) =>
    deliveryId(FORWARDED, event.eventId, DESTINATION),
  );
  const sent = new Set(expected);
  const received = Object.values(counts);
  const missing = expected.filter((id) => counts[id] === undefined).length;
  const unexpected = Object.keys(counts).filter((id) => !sent.has(id)).length;
  const withoutId = requests - received.reduce((sum, n) => sum + n, 0);
  const problems: string[] = [];
  if (missing > 0) problems.push(`${missing} of ${total} deliveries never reached the receiver`);
  if (unexpected > 0) problems.push(`${unexpected} webhook-ids the run never sent`);
  if (withoutId > 0) problems.push(`${withoutId} requests without a webhook-id`);
  const duplicates = received.reduce((sum, n) => sum + n - 1, 0);
  return { requests, duplicates, problems };
}

/** The ledger after the run: every row `delivered`; the requests it counted. */
async function checkLedger(db: Database, tag: string) {
  const [row] = await db.rows<{ delivered: number; attempts: number }>(
    `select count(*) filter (where d.status = 'delivered')::int as delivered,
       coalesce(sum(d.attempts), 0)::int as attempts
     from event_deliveries d join webhook_events e on e.id = d.event_row_id
     where starts_with(e.event_id, $1 || '_')`,
    [tag],
  );
  const delivered = row?.delivered ?? 0;
  return {
    attempts: row?.attempts ?? 0,
    problems: delivered === total ? [] : [`${delivered} of ${total} ledger rows delivered`],
  };
}

function writeSourcesFile(dir: string, receiverUrl: string): string {
  const file = join(dir, 'sources.json');
  const secret = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
  writeFileSync(
    file,
    JSON.stringify([
      { name: 'payments', provider: 'hmac', secret: STACK_SECRET },
      {
        name: FORWARDED,
        provider: 'hmac',
        secret: STACK_SECRET,
        destinations: [{ name: DESTINATION, url: `${receiverUrl}/hook`, secret }],
      },
    ]),
  );
  return file;
}

const stack = await TestStack.create();
const dir = mkdtempSync(join(tmpdir(), 'wi-deliveries-bench-'));
try {
  const receiver = new AppProcess('receiver', 'bench/noop-receiver.ts', {});
  stack.processes.push(receiver);
  const [, port] = await receiver.waitForLine(/"msg":"receiver listening","port":(\d+)/);
  const receiverUrl = `http://127.0.0.1:${port}`;
  const sourcesFile = writeSourcesFile(dir, receiverUrl);
  const run = Date.now().toString(36);

  const inProcessTag = `bdi_${run}`;
  const inProcess = await drainBacklog(stack, sourcesFile, inProcessTag, 'payments');
  const exactlyOnce = await checkExactlyOnce(stack.db, inProcessTag, total);

  const deliveredTag = `bdd_${run}`;
  const http = await drainBacklog(stack, sourcesFile, deliveredTag, FORWARDED, receiver);
  const received = await checkReceived(receiverUrl, deliveredTag);
  const ledger = await checkLedger(stack.db, deliveredTag);

  const ratio = Number((http.jobsPerSecond / inProcess.jobsPerSecond).toFixed(2));
  const { jobsPerSecond, ...inProcessRest } = inProcess;
  const {
    jobsPerSecond: deliveriesPerSecond,
    meteredCpuCores: receiverCpuCores,
    ...httpRest
  } = http;
  const problems = [...received.problems, ...ledger.problems];
  console.log(
    `concurrency ${concurrency}: ${deliveriesPerSecond} deliveries/s vs in-process ${jobsPerSecond} jobs/s (${ratio}×), ` +
      `worker CPU ${http.cpuCores} / ${inProcess.cpuCores} cores, receiver ${receiverCpuCores} cores, ` +
      `peak RSS ${http.peakRssMb} / ${inProcess.peakRssMb} MB; ` +
      `each delivered once: ${problems.length === 0 ? 'yes' : problems.join('; ')}, ${received.duplicates} duplicates; ` +
      `handlers exactly once: ${exactlyOnce.length === 0 ? 'yes' : exactlyOnce.join('; ')}`,
  );
  writeResults('deliveries', {
    events,
    warmup,
    concurrency: Number(concurrency),
    inProcess: { jobsPerSecond, ...inProcessRest, exactlyOnce },
    deliveries: {
      deliveriesPerSecond,
      receiverCpuCores,
      ...httpRest,
      requests: received.requests,
      duplicates: received.duplicates,
      ledgerAttempts: ledger.attempts,
      problems,
    },
    ratio,
  });
  if (problems.length > 0 || exactlyOnce.length > 0) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}

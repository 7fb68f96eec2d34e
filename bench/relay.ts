// `node --import tsx bench/relay.ts [--events 100000] [--interval-ms 5000] [--orphan-age-ms 30000]`:
// the relay with a backlog of queued events waiting in Redis. How long until (1) a few jobs
// removed by hand are queued again (target: within 2 × the orphan age), and (2) every event is
// queued again after Redis lost all its jobs (target: within a minute).
import { parseArgs } from 'node:util';
import { createLogger } from '@webhook-inbox/logger';
import { createRedis, createWebhookQueue, jobIdFor } from '@webhook-inbox/queue';
import { deleteRedisKeys, TestStack, testServices, uniqueName } from '@webhook-inbox/testing';
import { startRelay } from '../packages/worker/src/relay.ts';
import { addPaymentJobs, jobsLeft, storePayments } from './backlog.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '100000' },
    'interval-ms': { type: 'string', default: '5000' },
    'orphan-age-ms': { type: 'string', default: '30000' },
    removed: { type: 'string', default: '10' },
  },
});
const events = Number(values.events);
const intervalMs = Number(values['interval-ms']);
const orphanAgeMs = Number(values['orphan-age-ms']);
const removedCount = Number(values.removed);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number) {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(50);
  }
  return Number(((performance.now() - started) / 1000).toFixed(2));
}

const stack = await TestStack.create();
const prefix = uniqueName('q');
const redis = createRedis(testServices.redisUrl, 'producer');
const queue = createWebhookQueue(redis, prefix);
try {
  let started = performance.now();
  // Received long ago: a backlog that has waited, so age never holds the relay back.
  const rowIds = await storePayments(stack.db, 'relay', events, 10 * orphanAgeMs);
  await addPaymentJobs(queue, rowIds, 5_000);
  const fillSeconds = (performance.now() - started) / 1000;
  console.log(`${events} events stored and queued in ${fillSeconds.toFixed(1)} s`);

  const relay = startRelay({
    db: stack.db,
    queue,
    redis,
    retryPolicies: new Map(),
    log: createLogger({ name: 'relay-bench', level: 'warn' }),
    intervalMs,
    orphanAgeMs,
  });
  try {
    // The first turn finds no marker (a fresh queue looks like a lost one) and settles.
    await relay.runOnce();

    const removed = Array.from(
      { length: removedCount },
      (_, i) => rowIds[Math.floor(((i + 0.5) * rowIds.length) / removedCount)] ?? 0,
    );
    for (const rowId of removed) await queue.remove(jobIdFor(rowId));
    const lostJobSeconds = await until(
      'removed jobs queued again',
      async () => {
        const states = await Promise.all(removed.map((id) => queue.getJobState(jobIdFor(id))));
        return states.every((state) => state === 'waiting');
      },
      4 * orphanAgeMs,
    );
    console.log(`${removedCount} removed jobs queued again after ${lostJobSeconds} s`);

    await deleteRedisKeys(testServices.redisUrl, prefix);
    started = performance.now();
    const redisLostSeconds = await until(
      'every job queued again',
      async () => (await jobsLeft(queue)) >= events,
      180_000,
    );
    console.log(
      `after losing Redis's jobs, ${events} events queued again in ${redisLostSeconds} s`,
    );

    writeResults('relay', {
      events,
      intervalMs,
      orphanAgeMs,
      fillSeconds: Number(fillSeconds.toFixed(1)),
      removedJobs: removedCount,
      lostJobRequeuedSeconds: lostJobSeconds,
      lostJobTargetSeconds: (2 * orphanAgeMs) / 1000,
      redisLostRequeuedSeconds: redisLostSeconds,
      redisLostTargetSeconds: 60,
    });
  } finally {
    await relay.stop();
  }
} finally {
  await queue.close();
  redis.disconnect();
  await deleteRedisKeys(testServices.redisUrl, prefix);
  await stack.stop();
}

// `node --import tsx bench/worker.ts [--events 20000] [--concurrency 1,10,50] [--group-sizes 1,32]
// [--profile]`: jobs/s of our worker (the exactly-once transaction and the example handler) at
// each WORKER_GROUP_SIZE against a BullMQ worker with a no-op processor, each draining a
// pre-filled backlog after a warm-up, both as separate processes on this machine. Exactly-once
// is checked after each run.
// `--processes 1,2,4` instead runs 1, 2 and 4 of our worker processes at the first concurrency.
// Our worker runs as the bundle the image runs (built first), or its source with `--tsx`.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  AppProcess,
  deleteRedisKeys,
  TestStack,
  testServices,
  uniqueName,
} from '@webhook-inbox/testing';
import { addPaymentJobs, checkExactlyOnce, jobsLeft, storePayments } from './backlog.ts';
import { describeCpuSplit } from './cpu-split.ts';
import { type Drain, timeDrain } from './drain.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '1,10,50' },
    profile: { type: 'boolean', default: false },
    'group-sizes': { type: 'string', default: '1,32' },
    processes: { type: 'string' },
    /** Run the worker's source through tsx instead of the bundle the image runs. */
    tsx: { type: 'boolean', default: false },
  },
});
const events = Number(values.events);
const concurrencies = values.concurrency.split(',').map(Number);
const groupSizes = values['group-sizes'].split(',').map(Number);

const workerEntry = values.tsx ? undefined : 'dist/worker.mjs';
const runtime = values.tsx ? 'source through tsx' : 'bundle (npm run build), plain node';

const warmup = Math.max(500, Math.round(events / 10));
const profileArgs = (name: string) =>
  values.profile ? ['--cpu-prof', `--cpu-prof-dir=bench/results/profiles/${name}`] : [];

async function noopRun(stack: TestStack, concurrency: number): Promise<Drain> {
  const prefix = uniqueName('q');
  const redis = createRedis(testServices.redisUrl, 'worker');
  const queue = createWebhookQueue(redis, prefix);
  try {
    // Row IDs need no rows here: the no-op worker never looks.
    const ids = Array.from({ length: warmup + events }, (_, i) => i + 1);
    await addPaymentJobs(queue, ids);
    const worker = new AppProcess(
      'noop worker',
      'bench/noop-worker.ts',
      {
        REDIS_URL: testServices.redisUrl,
        QUEUE_PREFIX: prefix,
        WORKER_CONCURRENCY: String(concurrency),
      },
      profileArgs(`noop-${concurrency}`),
    );
    stack.processes.push(worker);
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

async function ourRun(stack: TestStack, concurrency: number, groupSize: number, processes = 1) {
  const prefix = uniqueName('q');
  const redis = createRedis(testServices.redisUrl, 'worker');
  const queue = createWebhookQueue(redis, prefix);
  const tag = `bw${concurrency}_${Date.now().toString(36)}`;
  try {
    await addPaymentJobs(queue, await storePayments(stack.db, tag, warmup + events));
    const workers = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        stack.startWorker(
          {
            QUEUE_PREFIX: prefix,
            WORKER_CONCURRENCY: String(concurrency),
            WORKER_GROUP_SIZE: String(groupSize),
            LOG_LEVEL: 'info',
            // The production defaults, not the test stack's quick-recovery settings.
            WORKER_LOCK_DURATION_MS: '10000',
            WORKER_STALLED_INTERVAL_MS: '5000',
            RELAY_INTERVAL_MS: '5000',
            RELAY_ORPHAN_AGE_MS: '30000',
          },
          workerEntry,
          profileArgs(`ours-${concurrency}-${groupSize}-${i}`),
        ),
      ),
    );
    const drain = await timeDrain({ workers, measured: events, left: () => jobsLeft(queue) });
    for (const worker of workers) worker.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    return { ...drain, exactlyOnce: await checkExactlyOnce(stack.db, tag, warmup + events) };
  } finally {
    await queue.close();
    redis.disconnect();
    await deleteRedisKeys(testServices.redisUrl, prefix);
  }
}

if (workerEntry) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts']);
console.log(`our worker: ${runtime}`);
const stack = await TestStack.create();
const results = [];
try {
  for (const processes of values.processes?.split(',').map(Number) ?? []) {
    const concurrency = concurrencies[0] ?? 10;
    const groupSize = groupSizes.at(-1) ?? 1;
    const ours = await ourRun(stack, concurrency, groupSize, processes);
    results.push({ concurrency, groupSize, processes, ours });
    console.log(
      `${processes} worker process(es) at concurrency ${concurrency}, group size ${groupSize}: ${ours.jobsPerSecond} jobs/s, ` +
        `CPU ${ours.cpuCores} cores, exactly once: ${ours.exactlyOnce.length === 0 ? 'yes' : ours.exactlyOnce.join('; ')}`,
    );
    console.log(`  CPU split: ${describeCpuSplit(ours.cpuSplit)}`);
  }
  for (const concurrency of values.processes ? [] : concurrencies) {
    const noop = await noopRun(stack, concurrency);
    for (const groupSize of groupSizes) {
      const ours = await ourRun(stack, concurrency, groupSize);
      const ratio = Number((ours.jobsPerSecond / noop.jobsPerSecond).toFixed(2));
      results.push({ concurrency, groupSize, ours, noop, ratio });
      console.log(
        `concurrency ${concurrency}, group size ${groupSize}: ours ${ours.jobsPerSecond} jobs/s, no-op ${noop.jobsPerSecond} jobs/s (${ratio}×), ` +
          `CPU ${ours.cpuCores} / ${noop.cpuCores} cores, ${ours.cpuMicrosecondsPerJob} / ${noop.cpuMicrosecondsPerJob} µs per job, ` +
          `writes per job ${ours.syscallsPerJob.writes} / ${noop.syscallsPerJob.writes}, peak RSS ${ours.peakRssMb} MB, ` +
          `exactly once: ${ours.exactlyOnce.length === 0 ? 'yes' : ours.exactlyOnce.join('; ')}`,
      );
      console.log(`  CPU split, ours: ${describeCpuSplit(ours.cpuSplit)}`);
      console.log(`  CPU split, no-op: ${describeCpuSplit(noop.cpuSplit)}`);
    }
  }
} finally {
  await stack.stop();
}
writeResults(values.processes ? 'worker-processes' : 'worker', {
  runtime,
  events,
  warmup,
  results,
});
if (results.some((r) => r.ours.exactlyOnce.length > 0)) process.exitCode = 1;

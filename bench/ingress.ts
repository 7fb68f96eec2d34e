// `node --import tsx bench/ingress.ts [--seconds 10 --connections 64 --warmup 3 --processes 1]
// [--profile]`:
// ingress throughput, latency, CPU per request and peak memory, beside a bare Fastify server
// measured in the same run (the machine is shared and noisy: only same-run ratios compare).
// The load comes from `wrk` in its own process when it is installed, else from autocannon in a
// separate process; the table says which. Results go to bench/results/ as JSON.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import { AppProcess, STACK_SECRET, TestStack, testServices } from '@webhook-inbox/testing';
import { cpuSecondsIfAlive } from './cpu.ts';
import { type CpuSplit, cpuSplitMeter, describeCpuSplit } from './cpu-split.ts';
import { type Load, type LoadResult, loadGenerator } from './load.ts';
import { commandOf, peakRssMb, processTree } from './proc.ts';
import { writeResults } from './results.ts';
import { paymentOfSize, writeSignedRequests } from './wrk/requests.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    warmup: { type: 'string', default: '3' },
    processes: { type: 'string', default: '1' },
    /** Run the ingress's source through tsx instead of the bundle the image runs. */
    tsx: { type: 'boolean', default: false },
    /** CPU profiles of each ingress process, in bench/results/profiles/ingress-<scenario>. */
    profile: { type: 'boolean', default: false },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const warmup = Number(values.warmup);
const processes = Number(values.processes);
const profileArgs = (name: string) =>
  values.profile ? ['--cpu-prof', `--cpu-prof-dir=bench/results/profiles/ingress-${name}`] : [];
const runtime = values.tsx ? 'source through tsx' : 'bundle (npm run build), plain node';

const BODY_BYTES = 1024;
/** Distinct events written per second of load: more than this box can take, so none repeats. */
const EVENTS_PER_SECOND = 12_000;

const run = Date.now().toString(36);
const dir = mkdtempSync(join(tmpdir(), 'wi-bench-'));
const generator = loadGenerator();

async function requestFile(name: string, count: number, eventId: (i: number) => string) {
  const file = join(dir, `${name}.txt`);
  await writeSignedRequests(
    file,
    STACK_SECRET,
    (function* () {
      for (let i = 0; i < count; i++) yield paymentOfSize(eventId(i), BODY_BYTES);
    })(),
  );
  return file;
}

interface Measurement extends LoadResult {
  readonly scenario: string;
  readonly what: string;
  readonly cpuMicrosecondsPerRequest: number;
  /** Of the Postgres backends serving the ingress (Redis is shared by the machine: not counted). */
  readonly postgresCpuMicrosecondsPerRequest: number;
  readonly peakRssMb: number;
  /** Where the machine's CPU went meanwhile; `rest` is mostly the load generator. */
  readonly cpuSplit: CpuSplit;
  /** Requests of the warm-up answered 2xx (they store events too). */
  readonly warmupAcked: number;
}

/** A port free a moment ago, for a process whose log will not say which it took. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

async function measure(
  server: AppProcess,
  url: string,
  scenario: string,
  what: string,
  load: Load,
  backends: () => Promise<number[]> = async () => [],
) {
  const pid = server.pid;
  if (pid === undefined) throw new Error(`${server.name} has no pid`);
  const warm =
    warmup > 0
      ? await generator.run(url, { file: load.warmupFile }, warmup, connections)
      : undefined;
  const tree = processTree(pid);
  const postgres = await backends();
  const before = new Map([...tree, ...postgres].map((p) => [p, cpuSecondsIfAlive(p)]));
  const split = cpuSplitMeter({ [scenario === 'baseline' ? 'server' : 'ingress']: tree });
  const result = await generator.run(url, load, seconds, connections);
  const cpuSplit = split();
  // A process gone meanwhile (a pool's idle connection closed) counts for nothing, not less.
  const cpuOf = (pids: number[]) =>
    pids.reduce((sum, p) => sum + Math.max(0, cpuSecondsIfAlive(p) - (before.get(p) ?? 0)), 0);
  const cpu = cpuOf(tree);
  const postgresCpu = cpuOf(postgres);
  const perRequest = (seconds: number) =>
    Math.round((seconds * 1e6) / Math.max(1, result.requests));
  const measurement: Measurement = {
    scenario,
    what,
    ...result,
    cpuMicrosecondsPerRequest: perRequest(cpu),
    postgresCpuMicrosecondsPerRequest: perRequest(postgresCpu),
    // Per Node process (a cluster's workers each); tsx's esbuild helper is not the ingress.
    peakRssMb: Math.max(...tree.filter((p) => commandOf(p) === 'node').map(peakRssMb)),
    warmupAcked: warm ? warm.requests - warm.non2xx - warm.socketErrors : 0,
    cpuSplit,
  };
  return measurement;
}

/** The Postgres backends of the bench's database: the ingress's pool, once it has warmed up. */
async function postgresBackends(stack: TestStack): Promise<number[]> {
  const rows = await stack.db.rows<{ pid: number }>(
    'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
  );
  return rows.map((row) => row.pid);
}

/** Every stored event has its job and its queued mark: what a 2xx promised. */
async function reconcile(stack: TestStack) {
  const counts = async () => {
    const [row] = await stack.db.rows<{ stored: number; queued: number }>(
      'select count(*)::int as stored, count(queued_at)::int as queued from webhook_events',
    );
    return { stored: row?.stored ?? 0, queued: row?.queued ?? 0 };
  };
  // Requests wrk left in flight, and the queued marks that follow the answers, settle first.
  let rows = await counts();
  for (let settled = false; !settled; ) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await counts();
    settled = again.stored === rows.stored && again.queued === rows.queued;
    rows = again;
  }
  const redis = createRedis(testServices.redisUrl, 'worker');
  const queue = createWebhookQueue(redis, stack.queuePrefix);
  const jobs = await queue.getJobCountByTypes('waiting', 'prioritized', 'delayed', 'active');
  await queue.close();
  redis.disconnect();
  return { ...rows, jobs };
}

const stack = await TestStack.create();
try {
  const count = Math.ceil(seconds * EVENTS_PER_SECOND);
  const freshFile = await requestFile('fresh', count, (i) => `bench_${run}_${i}`);
  const warmFile = await requestFile(
    'warm',
    Math.ceil(warmup * EVENTS_PER_SECOND),
    (i) => `warm_${run}_${i}`,
  );
  // One line per load thread: every thread repeats the same event.
  const sameFile = await requestFile('same', 8, () => `bench_${run}_same`);
  const fresh: Load = { file: freshFile, warmupFile: warmFile };

  const baselineServer = new AppProcess('baseline', 'bench/baseline-server.ts', {});
  stack.processes.push(baselineServer);
  const [, port] = await baselineServer.waitForLine(/listening at http:\/\/127\.0\.0\.1:(\d+)/);
  const baselineUrl = `http://127.0.0.1:${port}/webhooks/payments`;
  const baseline = await measure(
    baselineServer,
    baselineUrl,
    'baseline',
    'bare Fastify: read the body, answer 200',
    fresh,
  );
  baselineServer.kill('SIGTERM');

  // No worker runs: the bench measures the ingress alone, and the queue only grows.
  const app = values.tsx ? 'apps/ingress/src/main.ts' : 'dist/ingress.mjs';
  if (!values.tsx) execFileSync(process.execPath, ['--import', 'tsx', 'scripts/build.ts']);
  const ingress = await stack.startIngress(
    { LOG_LEVEL: 'info', INGRESS_PROCESSES: String(processes), INGRESS_ENTRY: app },
    processes > 1 ? 'bench/ingress-cluster.ts' : app,
    profileArgs('new'),
  );
  const newEvents = await measure(
    ingress.process,
    ingress.url,
    'new events',
    'verify, insert, queue (unique IDs)',
    fresh,
    () => postgresBackends(stack),
  );
  const afterNew = await reconcile(stack);
  ingress.process.kill('SIGTERM');
  await ingress.process.exited;

  // Duplicates with the per-request info line and without it, each in a fresh process, so
  // neither inherits the other's heap or the new-events run's: the difference is the line.
  const duplicatesAt = async (level: 'info' | 'warn', scenario: string, what: string) => {
    const server = await stack.startIngress(
      {
        LOG_LEVEL: level,
        PORT: String(await freePort()),
        INGRESS_PROCESSES: String(processes),
        INGRESS_ENTRY: app,
      },
      processes > 1 ? 'bench/ingress-cluster.ts' : app,
      profileArgs(`duplicates-${level}`),
    );
    const measured = await measure(
      server.process,
      server.url,
      scenario,
      what,
      { file: sameFile, warmupFile: sameFile },
      () => postgresBackends(stack),
    );
    server.process.kill('SIGTERM');
    await server.process.exited;
    return measured;
  };
  const duplicates = await duplicatesAt('info', 'duplicates', 'verify, find the stored row');
  const duplicatesUnlogged = await duplicatesAt(
    'warn',
    'duplicates, no request log',
    'as duplicates, at LOG_LEVEL=warn',
  );
  const requestLogCost = Number(
    (
      duplicates.cpuMicrosecondsPerRequest / duplicatesUnlogged.cpuMicrosecondsPerRequest -
      1
    ).toFixed(3),
  );
  console.log(
    `the per-request log line: ${(requestLogCost * 100).toFixed(1)}% of a duplicate's ingress CPU`,
  );

  const rows = [baseline, newEvents, duplicates, duplicatesUnlogged].map((m) => ({
    ...m,
    vsBaseline: Number((m.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)),
    cpuVsBaseline: Number(
      (m.cpuMicrosecondsPerRequest / baseline.cpuMicrosecondsPerRequest).toFixed(2),
    ),
  }));
  console.log(
    `\n${seconds} s per scenario after ${warmup} s of warm-up, ${connections} connections, ` +
      `${processes} ingress process(es) running the ${runtime}, ~${BODY_BYTES} B signed bodies, ` +
      `load from ${generator.name}\n`,
  );
  console.table(
    rows.map((r) => ({
      scenario: r.scenario,
      'req/s': r.requestsPerSecond,
      'vs baseline': `${r.vsBaseline}×`,
      'p50 ms': r.p50Ms,
      'p99 ms': r.p99Ms,
      'CPU µs/req': r.cpuMicrosecondsPerRequest,
      'CPU vs baseline': `${r.cpuVsBaseline}×`,
      'Postgres µs/req': r.postgresCpuMicrosecondsPerRequest,
      'peak RSS MB': r.peakRssMb,
      'non-2xx': r.non2xx + r.socketErrors,
    })),
  );
  console.log('CPU split over each timed part, in cores:');
  for (const r of rows)
    console.log(
      `  ${r.scenario}: ${describeCpuSplit(r.cpuSplit, `${generator.name} and the rest`)}`,
    );
  const acked =
    newEvents.requests - newEvents.non2xx - newEvents.socketErrors + newEvents.warmupAcked;
  console.log(
    `new events with their warm-up: ${acked} acked, ${afterNew.stored} stored, ` +
      `${afterNew.queued} marked queued, ${afterNew.jobs} jobs waiting`,
  );
  writeResults('ingress', {
    generator: generator.name,
    runtime,
    seconds,
    warmup,
    connections,
    processes,
    bodyBytes: BODY_BYTES,
    results: rows,
    requestLogCost,
    reconciliation: afterNew,
  });
  const problems = [
    ...rows
      .filter((r) => r.non2xx + r.socketErrors > 0)
      .map((r) => `${r.scenario}: failed requests`),
    ...(newEvents.wraps > 0 ? ['new events: the request file ran out, some were repeats'] : []),
    ...(afterNew.stored < acked ? ['fewer events stored than acked'] : []),
    ...(afterNew.stored !== afterNew.queued || afterNew.jobs !== afterNew.stored
      ? ['stored events without their job or queued mark']
      : []),
  ];
  for (const problem of problems) console.error(problem);
  if (problems.length > 0) process.exitCode = 1;
} finally {
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
}

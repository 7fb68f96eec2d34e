// `npm run bench [-- --quick] [-- --skip ingress,inbox-queries]`: every bench in turn, each in a
// process of its own with a time limit, then one Markdown table and one JSON file of them all
// in bench/results/. The machine's other load moves absolute figures: compare ratios from one run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type CpuSplit, describeCpuSplit } from './cpu-split.ts';
import { processTree } from './proc.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    skip: { type: 'string', default: '' },
  },
});
const skipped = new Set(values.skip.split(',').filter(Boolean));
const quick = values.quick;

interface Step {
  readonly name: string;
  readonly script: string;
  readonly args: string[];
  readonly limitMs: number;
  readonly table: (result: Record<string, unknown>) => string[][];
}

type Row = Record<string, unknown>;
const rowsOf = (result: Row, key = 'results') => (result[key] ?? []) as Row[];
const fixed = (n: unknown, digits = 2) => (typeof n === 'number' ? n.toFixed(digits) : String(n));

const steps: Step[] = [
  {
    name: 'ingress',
    script: 'bench/ingress.ts',
    args: quick
      ? ['--seconds', '5', '--connections', '64']
      : ['--seconds', '10', '--connections', '64'],
    limitMs: 240_000,
    table: (result) => [
      ...rowsOf(result).map((row) => [
        `ingress: ${row.scenario}`,
        row.scenario === 'baseline'
          ? `bare Fastify ${row.requestsPerSecond} req/s; p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms; ${row.cpuMicrosecondsPerRequest} µs CPU/req`
          : `${row.requestsPerSecond} acked/s = **${row.vsBaseline}×** baseline; p50 ${row.p50Ms} ms, p99 **${row.p99Ms} ms**; ingress ${row.cpuMicrosecondsPerRequest} µs CPU/req (${row.cpuVsBaseline}×), Postgres ${row.postgresCpuMicrosecondsPerRequest} µs/req; peak RSS ${row.peakRssMb} MB; non-2xx ${row.non2xx}`,
      ]),
      ...rowsOf(result)
        .filter((row) => row.cpuSplit)
        .map((row) => [
          `ingress: ${row.scenario}, CPU split (cores)`,
          describeCpuSplit(row.cpuSplit as CpuSplit, `${result.generator} and the rest`),
        ]),
      [
        'ingress: the per-request log line',
        `${fixed(Number(result.requestLogCost) * 100, 1)}% of a duplicate's ingress CPU`,
      ],
    ],
  },
  {
    name: 'worker',
    script: 'bench/worker.ts',
    args: quick ? ['--events', '5000'] : ['--events', '20000'],
    // Six drains of 22,000 jobs, two of them one job at a time (about 70 s each here).
    limitMs: 600_000,
    table: (result) =>
      rowsOf(result).map((row) => {
        const ours = row.ours as Row;
        const noop = row.noop as Row;
        const once =
          (ours.exactlyOnce as string[]).length === 0 ? 'exactly once ✓' : 'EXACTLY-ONCE BROKEN';
        const split = ours.cpuSplit
          ? `; CPU split ${describeCpuSplit(ours.cpuSplit as CpuSplit)}`
          : '';
        return [
          `worker, concurrency ${row.concurrency}, group size ${row.groupSize}`,
          `${ours.jobsPerSecond} jobs/s vs no-op BullMQ ${noop.jobsPerSecond} jobs/s = **${row.ratio}×**; ` +
            `CPU ${ours.cpuCores} vs ${noop.cpuCores} cores, ${ours.cpuMicrosecondsPerJob} vs ${noop.cpuMicrosecondsPerJob} µs per job${split}; peak RSS ${ours.peakRssMb} MB; ${once}`,
        ];
      }),
  },
  {
    name: 'deliveries',
    script: 'bench/deliveries.ts',
    args: quick ? ['--events', '5000'] : ['--events', '20000'],
    limitMs: 300_000,
    table: (result) => {
      const http = result.deliveries as Row;
      const inProcess = result.inProcess as Row;
      const arrived =
        (http.problems as string[]).length === 0
          ? `each arrived ✓ (${http.duplicates} duplicates)`
          : 'DELIVERIES LOST';
      const once =
        (inProcess.exactlyOnce as string[]).length === 0 ? 'exactly once ✓' : 'EXACTLY-ONCE BROKEN';
      return [
        [
          `deliveries to a no-op HTTP receiver, concurrency ${result.concurrency}`,
          `${http.deliveriesPerSecond} deliveries/s vs in-process handler ${inProcess.jobsPerSecond} jobs/s = **${result.ratio}×**; ` +
            `worker CPU ${http.cpuCores} vs ${inProcess.cpuCores} cores (receiver ${http.receiverCpuCores}); ` +
            `peak RSS ${http.peakRssMb} vs ${inProcess.peakRssMb} MB; ${arrived}; handlers ${once}`,
        ],
      ];
    },
  },
  {
    name: 'ordering',
    script: 'bench/ordering.ts',
    args: quick ? ['--events', '5000'] : ['--events', '20000'],
    limitMs: 600_000,
    table: (result) => {
      const unordered = result.unordered as Row;
      const okOf = (row: Row) =>
        (row.exactlyOnce as string[]).length === 0 ? 'exactly once ✓' : 'EXACTLY-ONCE BROKEN';
      return [
        [
          `worker, unordered payments, concurrency ${result.concurrency}`,
          `${unordered.jobsPerSecond} jobs/s; CPU ${unordered.cpuCores} cores; peak RSS ${unordered.peakRssMb} MB; ${okOf(unordered)}`,
        ],
        ...rowsOf(result, 'ordered').map((row) => [
          `worker, payments ordered by customer over ${row.keys} keys`,
          `${row.jobsPerSecond} jobs/s = **${row.ratio}×** unordered; CPU ${row.cpuCores} cores; ` +
            `peak RSS ${row.peakRssMb} MB; ${okOf(row)}; ` +
            `${(row.inOrder as string[]).length === 0 ? 'in order per key ✓' : 'ORDER BROKEN'}`,
        ]),
      ];
    },
  },
  {
    name: 'e2e',
    script: 'bench/e2e.ts',
    args: quick ? ['--seconds', '5'] : ['--seconds', '10'],
    limitMs: 240_000,
    table: (result) => [
      ...rowsOf(result).map((row) => [
        `end to end, ${row.rate} events/s`,
        `received→processed p50 **${row.p50Ms} ms**, p99 **${row.p99Ms} ms**; ack p50 ${row.ackP50Ms} ms, ` +
          `p99 ${row.ackP99Ms} ms; ${row.acked}/${row.sent} acked; ${row.sustained ? 'sustained' : 'not sustained'}`,
      ]),
      [
        'end to end, highest sustained',
        `${result.highestSustainedRate} events/s; peak RSS ingress ${result.ingressPeakRssMb} MB, worker ${result.workerPeakRssMb} MB`,
      ],
    ],
  },
  {
    name: 'relay',
    script: 'bench/relay.ts',
    args: quick ? ['--events', '20000'] : [],
    limitMs: 300_000,
    table: (result) => [
      [
        `relay, ${result.events} queued events, ${result.removedJobs} jobs removed by hand`,
        `queued again after **${fixed(result.lostJobRequeuedSeconds)} s** (target ≤ ${result.lostJobTargetSeconds} s)`,
      ],
      [
        `relay, ${result.events} queued events, Redis lost every job`,
        `all queued again after **${fixed(result.redisLostRequeuedSeconds)} s** (target ≤ ${result.redisLostTargetSeconds} s)`,
      ],
    ],
  },
  {
    name: 'signature-verification',
    script: 'bench/signature-verification.ts',
    args: quick ? ['--seconds', '1'] : ['--seconds', '3'],
    limitMs: 120_000,
    table: (result) =>
      rowsOf(result).map((row) => [
        `verify ${row.scheme}, ${row.through}`,
        `**${row.perSecond}/s per core** (${row.microseconds} µs CPU each)`,
      ]),
  },
  {
    name: 'inbox-queries',
    script: 'bench/inbox-queries.ts',
    args: [],
    limitMs: 420_000,
    table: (result) =>
      rowsOf(result).map((row) => [
        `inbox query: ${row.name ?? row.query ?? '?'}`,
        Object.entries(row)
          .filter(([key, value]) => key !== 'name' && key !== 'query' && typeof value !== 'object')
          .map(([key, value]) => `${key} ${value}`)
          .join(', '),
      ]),
  },
];

/** The newest `bench/results/<name>-*.json` written since `since`, if any. */
function resultsOf(name: string, since: number): { file: string; result: Row } | undefined {
  if (!existsSync('bench/results')) return undefined;
  const file = readdirSync('bench/results')
    .filter((f) => f.startsWith(`${name}-`) && f.endsWith('.json'))
    .map((f) => `bench/results/${f}`)
    .filter((f) => statSync(f).mtimeMs >= since)
    .sort()
    .at(-1);
  return file ? { file, result: JSON.parse(readFileSync(file, 'utf8')) as Row } : undefined;
}

const summary: Array<{ step: string; ok: boolean; seconds: number; file?: string; result?: Row }> =
  [];
const table: string[][] = [];
for (const step of steps) {
  if (skipped.has(step.name)) continue;
  if (!existsSync(step.script)) {
    console.log(`\n== ${step.name}: ${step.script} is not here, skipped`);
    continue;
  }
  console.log(`\n== ${step.name}: ${step.script} ${step.args.join(' ')}`);
  const since = Date.now();
  const ok = await runScript(step.script, step.args, step.limitMs);
  const seconds = Math.round((Date.now() - since) / 1000);
  const found = resultsOf(step.name, since);
  summary.push({ step: step.name, ok, seconds, file: found?.file, result: found?.result });
  if (found) table.push(...step.table(found.result));
  else table.push([step.name, ok ? 'no results file' : `failed after ${seconds} s`]);
}

function runScript(script: string, args: string[], limitMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      stdio: 'inherit',
    });
    let cleared: Promise<void> | undefined;
    const timer = setTimeout(() => {
      console.error(`${script}: over its ${limitMs / 1000} s limit, stopped`);
      // Its own children (a worker, an ingress) would outlive it and load the next steps: each
      // is told to stop, and whatever is left 10 s later is killed before the next step starts.
      const tree = child.pid === undefined ? [] : processTree(child.pid);
      const signal = (pids: readonly number[], name: NodeJS.Signals) => {
        for (const pid of pids) {
          try {
            process.kill(pid, name);
          } catch {
            // Already gone.
          }
        }
      };
      signal(tree, 'SIGTERM');
      cleared = new Promise((done) =>
        setTimeout(() => {
          signal(tree, 'SIGKILL');
          done();
        }, 10_000),
      );
    }, limitMs);
    child.on('exit', async (code) => {
      clearTimeout(timer);
      await cleared;
      resolve(code === 0 && !cleared);
    });
  });
}

const markdown = [
  '| case | result |',
  '| --- | --- |',
  ...table.map(([what, result]) => `| ${what} | ${result} |`),
].join('\n');
console.log(`\n${markdown}\n`);
writeResults('all', { quick, steps: summary, markdown });
if (summary.some((step) => !step.ok)) process.exitCode = 1;

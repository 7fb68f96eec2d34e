// `node --import tsx bench/e2e.ts [--seconds 10] [--rates 200,1000,1500,2000,3000]`: received →
// processed latency through the real ingress and worker processes at fixed rates, with the
// load generator in a process of its own. Rates go up until one is not sustained (acks slower
// than 95% of the rate, counting the time the last ones took, or events still unprocessed 2 s
// after the load ends); that one ends the run.
import { parseArgs } from 'node:util';
import { AppProcess, STACK_SECRET, TestStack } from '@webhook-inbox/testing';
import { peakRssMb } from './proc.ts';
import { writeResults } from './results.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    rates: { type: 'string', default: '200,1000,1500,2000,3000' },
    concurrency: { type: 'string', default: '10' },
  },
});
const seconds = Number(values.seconds);
const rates = values.rates.split(',').map(Number);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Load {
  sent: number;
  acked: number;
  failed: number;
  seconds: number;
  ackP50Ms: number;
  ackP99Ms: number;
}

async function generate(url: string, rate: number, forSeconds: number, tag: string): Promise<Load> {
  const generator = new AppProcess('load', 'bench/load-rate.ts', {
    TARGET_URL: url,
    SECRET: STACK_SECRET,
    RATE: String(rate),
    SECONDS: String(forSeconds),
    TAG: tag,
  });
  const { code } = await generator.exited;
  const line = generator.lines.find((l) => l.startsWith('{"sent"'));
  if (code !== 0 || !line) throw new Error(`load generator failed:\n${generator.tail()}`);
  return JSON.parse(line) as Load;
}

async function processedLatency(stack: TestStack, tag: string) {
  const [row] = await stack.db.rows<{ n: number; p50: number; p99: number; max: number }>(
    `select count(*)::int as n,
       percentile_cont(0.5) within group (order by ms) as p50,
       percentile_cont(0.99) within group (order by ms) as p99, max(ms) as max
     from (select (extract(epoch from processed_at - received_at) * 1000)::float8 as ms
           from webhook_events where starts_with(event_id, $1 || '_') and status = 'processed') t`,
    [tag],
  );
  const round = (ms: number | undefined) => Number((ms ?? 0).toFixed(1));
  return {
    processed: row?.n ?? 0,
    p50Ms: round(row?.p50),
    p99Ms: round(row?.p99),
    maxMs: round(row?.max),
  };
}

async function unprocessed(stack: TestStack, tag: string) {
  const [row] = await stack.db.rows<{ n: number }>(
    `select count(*)::int as n from webhook_events
     where starts_with(event_id, $1 || '_') and status <> 'processed'`,
    [tag],
  );
  return row?.n ?? 0;
}

const stack = await TestStack.create();
const results = [];
let ingressPid = 0;
let workerPid = 0;
try {
  const ingress = await stack.startIngress({ LOG_LEVEL: 'info' });
  // The production defaults, not the test stack's quick-recovery settings.
  const worker = await stack.startWorker({
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: values.concurrency,
    WORKER_LOCK_DURATION_MS: '10000',
    WORKER_STALLED_INTERVAL_MS: '5000',
    RELAY_INTERVAL_MS: '5000',
    RELAY_ORPHAN_AGE_MS: '30000',
  });
  ingressPid = ingress.process.pid ?? 0;
  workerPid = worker.pid ?? 0;
  const runId = Date.now().toString(36);
  await generate(ingress.url, 200, 3, `e2e_${runId}_warmup`);

  for (const rate of rates) {
    const tag = `e2e_${runId}_${rate}`;
    const load = await generate(ingress.url, rate, seconds, tag);
    await sleep(2_000);
    const behind = await unprocessed(stack, tag);
    const latency = await processedLatency(stack, tag);
    // Acks that pile up behind the rate stretch the run: the rate was not kept.
    const sustained = load.acked / load.seconds >= 0.95 * rate && behind === 0;
    results.push({
      rate,
      ackedPerSecond: Math.round(load.acked / load.seconds),
      ...load,
      ...latency,
      behind,
      sustained,
    });
    console.log(
      `${rate} events/s: ${load.acked}/${load.sent} acked (ack p50 ${load.ackP50Ms} ms, p99 ${load.ackP99Ms} ms), ` +
        `received→processed p50 ${latency.p50Ms} ms, p99 ${latency.p99Ms} ms, ${behind} behind: ${sustained ? 'sustained' : 'NOT sustained'}`,
    );
    if (!sustained) break;
    await sleep(1_000);
  }
} finally {
  const rss = { ingressPeakRssMb: peakRssMb(ingressPid), workerPeakRssMb: peakRssMb(workerPid) };
  console.log(`peak RSS: ingress ${rss.ingressPeakRssMb} MB, worker ${rss.workerPeakRssMb} MB`);
  await stack.stop();
  const highest = results.filter((r) => r.sustained).at(-1)?.rate ?? 0;
  writeResults('e2e', { seconds, highestSustainedRate: highest, ...rss, results });
}

// `npm run bench [-- --seconds 10 --connections 32]`: ingress throughput, latency and CPU per
// request, each as a ratio to a bare Fastify server measured in the same run (this machine is
// noisy; only same-run ratios compare). Results go to bench/results/ as JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  AppProcess,
  childBaseEnv,
  paymentBody,
  STACK_SECRET,
  signHmacSha256,
  TestStack,
} from '@webhook-inbox/testing';
import autocannon from 'autocannon';
import { cpuSeconds } from './cpu.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);

interface Scenario {
  readonly name: string;
  readonly what: string;
  /** Body and headers of the n-th request. */
  readonly request: (n: number) => { body: string; headers: Record<string, string> };
}

const runId = Date.now().toString(36);
const signed = (body: string) => ({
  body,
  headers: {
    'content-type': 'application/json',
    'x-signature': signHmacSha256(body, STACK_SECRET),
  },
});
const fresh = (n: number) =>
  signed(paymentBody({ eventId: `bench_${runId}_${n}`, customer: `bench_${n % 100}`, amount: 1 }));
const repeated = signed(
  paymentBody({ eventId: `bench_${runId}_same`, customer: 'bench', amount: 1 }),
);

const scenarios: Scenario[] = [
  { name: 'new events', what: 'verify, insert, queue', request: fresh },
  { name: 'duplicates', what: 'verify, find the stored row', request: () => repeated },
];

interface Measurement {
  name: string;
  what: string;
  requestsPerSecond: number;
  latencyMs: { p50: number; p99: number };
  cpuMicrosecondsPerRequest: number;
  non2xx: number;
  errors: number;
}

async function measure(server: AppProcess, url: string, scenario: Scenario): Promise<Measurement> {
  let n = 0;
  const pid = server.pid;
  if (pid === undefined) throw new Error(`${server.name} has no pid`);
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (request) => {
          const { body, headers } = scenario.request(n++);
          return { ...request, body, headers };
        },
      },
    ],
  });
  const completed = result.requests.total;
  return {
    name: scenario.name,
    what: scenario.what,
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99 },
    cpuMicrosecondsPerRequest: Math.round(((cpuSeconds(pid) - cpuBefore) * 1e6) / completed),
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const stack = await TestStack.create();
try {
  const baselineServer = new AppProcess('baseline', 'bench/baseline-server.ts', childBaseEnv);
  stack.processes.push(baselineServer);
  const [, port] = await baselineServer.waitForLine(/listening at http:\/\/127\.0\.0\.1:(\d+)/);
  const baseline = await measure(baselineServer, `http://127.0.0.1:${port}/webhooks/payments`, {
    name: 'baseline',
    what: 'bare Fastify: read the body, answer 200',
    request: fresh,
  });

  // No worker runs: the bench measures the ingress alone, and the queue only grows.
  const ingress = await stack.startIngress({ LOG_LEVEL: 'info' });
  const measurements = [baseline];
  for (const scenario of scenarios)
    measurements.push(await measure(ingress.process, ingress.url, scenario));

  const rows = measurements.map((m) => ({
    ...m,
    throughputVsBaseline: Number((m.requestsPerSecond / baseline.requestsPerSecond).toFixed(3)),
    cpuVsBaseline: Number(
      (m.cpuMicrosecondsPerRequest / baseline.cpuMicrosecondsPerRequest).toFixed(2),
    ),
  }));
  console.log(`\n${seconds} s per scenario, ${connections} connections, load from this process\n`);
  console.table(
    rows.map((r) => ({
      scenario: r.name,
      'req/s': r.requestsPerSecond,
      'vs baseline': `${r.throughputVsBaseline}×`,
      'p50 ms': r.latencyMs.p50,
      'p99 ms': r.latencyMs.p99,
      'ingress CPU µs/req': r.cpuMicrosecondsPerRequest,
      'CPU vs baseline': `${r.cpuVsBaseline}×`,
      'non-2xx': r.non2xx,
    })),
  );
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/ingress-${new Date().toISOString().replaceAll(':', '-')}.json`;
  writeFileSync(file, `${JSON.stringify({ seconds, connections, results: rows }, null, 2)}\n`);
  console.log(`results written to ${file}`);
  if (rows.some((r) => r.non2xx > 0 || r.errors > 0)) {
    console.error('some requests failed: the numbers above are not comparable');
    process.exitCode = 1;
  }
} finally {
  await stack.stop();
}

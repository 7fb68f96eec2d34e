// The end-to-end bench's load generator, in a process of its own so it never competes with the
// measuring one: signed payment events with unique IDs at a fixed rate, over keep-alive
// connections. Prints one JSON line: sent, acked, failed, and ack latency percentiles.
import { Agent, request } from 'node:http';
import { parseEnv } from '@webhook-inbox/config';
import { paymentBody, signHmacSha256 } from '@webhook-inbox/testing';
import { z } from 'zod';

const env = parseEnv(
  {
    TARGET_URL: z.url(),
    SECRET: z.string().min(1),
    RATE: z.coerce.number().positive(),
    SECONDS: z.coerce.number().positive(),
    TAG: z.string().min(1),
  },
  process.env,
);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const url = new URL(env.TARGET_URL);
const latencies: number[] = [];
let sent = 0;
let acked = 0;
let failed = 0;

function send(n: number): Promise<void> {
  const body = paymentBody({
    eventId: `${env.TAG}_${n}`,
    customer: `${env.TAG}_cus_${n % 50}`,
    amount: 1,
  });
  const started = performance.now();
  sent += 1;
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-signature': signHmacSha256(body, env.SECRET),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => {
          if (res.statusCode === 200) {
            acked += 1;
            latencies.push(performance.now() - started);
          } else failed += 1;
          resolve();
        });
      },
    );
    req.on('error', () => {
      failed += 1;
      resolve();
    });
    req.end(body);
  });
}

const inFlight = new Set<Promise<void>>();
const started = performance.now();
const total = Math.round(env.RATE * env.SECONDS);
// Each tick sends what the clock says is due, so a late tick catches up instead of drifting.
await new Promise<void>((resolve) => {
  const timer = setInterval(() => {
    const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * env.RATE));
    while (sent < due) {
      const pending = send(sent);
      inFlight.add(pending);
      void pending.then(() => inFlight.delete(pending));
    }
    if (sent >= total) {
      clearInterval(timer);
      resolve();
    }
  }, 5);
});
await Promise.all(inFlight);
const seconds = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  Number((latencies[Math.floor((latencies.length - 1) * p)] ?? 0).toFixed(1));
console.log(
  JSON.stringify({
    sent,
    acked,
    failed,
    seconds: Number(seconds.toFixed(2)),
    ackP50Ms: pct(0.5),
    ackP99Ms: pct(0.99),
  }),
);
agent.destroy();

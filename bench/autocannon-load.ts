// The fallback load generator, run as its own process by load.ts when wrk is not installed:
// replays the signed requests of a file (see wrk/requests.ts) and prints one LOAD_RESULT line.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

const [url, file, seconds, connections] = process.argv.slice(2);
if (!url || !file) throw new Error('usage: autocannon-load.ts URL FILE SECONDS CONNECTIONS');
const requests = readFileSync(file, 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => {
    const tab = line.indexOf('\t');
    return { signature: line.slice(0, tab), body: line.slice(tab + 1) };
  });
let next = 0;
let wraps = 0;
const result = await autocannon({
  url,
  method: 'POST',
  connections: Number(connections),
  duration: Number(seconds),
  requests: [
    {
      setupRequest: (request) => {
        if (next === requests.length) {
          next = 0;
          wraps += 1;
        }
        const { signature, body } = requests[next++] as { signature: string; body: string };
        const headers = { 'content-type': 'application/json', 'x-signature': signature };
        return { ...request, body, headers };
      },
    },
  ],
});
const summary = {
  requests: result.requests.total,
  durationUs: Math.round(result.duration * 1e6),
  non2xx: result.non2xx,
  socketErrors: result.errors + result.timeouts,
  p50Us: Math.round(result.latency.p50 * 1000),
  p99Us: Math.round(result.latency.p99 * 1000),
  wraps,
};
console.log(`LOAD_RESULT ${JSON.stringify(summary)}`);

// The deliveries bench's destination: a bare node:http server on 127.0.0.1 that answers every POST
// 204 and counts it by `webhook-id`, verifying nothing, so the worker's side is what is measured.
// It runs as a process of its own so that its CPU is never the worker's. `GET /received` answers
// the counts: `{ requests, counts: { [webhook-id]: times received } }`.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const counts = new Map<string, number>();
let requests = 0;

const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/received') {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ requests, counts: Object.fromEntries(counts) }));
    return;
  }
  requests += 1;
  const id = request.headers['webhook-id'];
  if (typeof id === 'string') counts.set(id, (counts.get(id) ?? 0) + 1);
  request.resume();
  request.on('end', () => {
    response.statusCode = 204;
    response.end();
  });
});

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  console.log(JSON.stringify({ msg: 'receiver listening', port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createDeliverer, SNIPPET_BYTES } from '../src/index.ts';
import { destinationFor, localServer, message } from './local-server.ts';

/** A URL on a port that was just free and is closed again: nothing listens there. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('deliver: what each answer comes to', () => {
  it('a 2xx is delivered, with status, latency and the response kept for the record', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(202).end('queued');
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome.kind).toBe('delivered');
    expect(outcome.attempt).toMatchObject({
      status: 202,
      responseSnippet: 'queued',
      error: undefined,
    });
    expect(outcome.attempt?.latencyMs).toBeGreaterThanOrEqual(0);
    expect(server.received).toHaveLength(1);
    expect(server.received[0]?.method).toBe('POST');
  });

  it('a 410 is gone: the caller disables the destination', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(410).end('unsubscribed');
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({ kind: 'gone', attempt: { status: 410 } });
  });

  it('a 500 is retried, with no delay of its own when it gives no Retry-After', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(500).end('boom');
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({
      kind: 'retry',
      reason: 'status',
      retryAfterMs: undefined,
      attempt: { status: 500, responseSnippet: 'boom', error: 'the destination answered 500' },
    });
  });

  it('a 429 with Retry-After in seconds is retried after that delay', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(429, { 'retry-after': '120' }).end();
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'status', retryAfterMs: 120_000 });
  });

  it('a 503 with Retry-After as an HTTP date is retried at that date', async () => {
    const now = Date.parse('2026-03-01T12:00:00Z');
    const server = await localServer((_request, response) => {
      response.writeHead(503, { 'retry-after': 'Sun, 01 Mar 2026 12:01:30 GMT' }).end();
    });
    const deliverer = createDeliverer({ now: () => now });
    const outcome = await deliverer.deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({ kind: 'retry', retryAfterMs: 90_000 });
  });

  it('a Retry-After beyond the maximum is clamped to it', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(429, { 'retry-after': '86400' }).end();
    });
    const deliverer = createDeliverer({ maxRetryAfterMs: 600_000 });
    const outcome = await deliverer.deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({ kind: 'retry', retryAfterMs: 600_000 });
  });

  it('a destination that never answers is a timeout, retried, within its deadline', async () => {
    const server = await localServer(() => {});
    const started = performance.now();
    const destination = destinationFor(server.url, { timeoutMs: 300 });
    const outcome = await createDeliverer().deliver(destination, message());
    const elapsed = performance.now() - started;
    expect(outcome).toMatchObject({
      kind: 'retry',
      reason: 'timeout',
      attempt: { status: undefined },
    });
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a refused connection is a network error, retried', async () => {
    const url = await closedPort();
    const outcome = await createDeliverer().deliver(destinationFor(url), message());
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'network' });
    expect(outcome.attempt?.error).toContain('ECONNREFUSED');
  });

  it('a redirect is not followed: the 3xx is a failure to retry', async () => {
    const target = await localServer((_request, response) => {
      response.writeHead(200).end();
    });
    const server = await localServer((_request, response) => {
      response.writeHead(307, { location: `${target.url}/elsewhere` }).end();
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome).toMatchObject({ kind: 'retry', reason: 'redirect', attempt: { status: 307 } });
    expect(target.received).toHaveLength(0);
  });

  it('a 10 MB response is not read: 1 KiB is kept and the connection dropped', async () => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const chunks = (10 * 1024 * 1024) / chunk.length;
    let written = 0;
    let closedEarly = false;
    const server = await localServer(async (_request, response) => {
      response.on('close', () => {
        closedEarly = !response.writableFinished;
      });
      response.writeHead(200, { 'content-length': String(chunks * chunk.length) });
      // Paced, so the kernel's socket buffers cannot swallow the whole body before the client
      // has had a chance to hang up.
      while (written < chunks && !response.destroyed) {
        response.write(chunk);
        written += 1;
        await sleep(5);
      }
      response.end();
    });
    const outcome = await createDeliverer().deliver(destinationFor(server.url), message());
    expect(outcome.kind).toBe('delivered');
    expect(outcome.attempt?.responseSnippet).toBe('x'.repeat(SNIPPET_BYTES));
    await expect.poll(() => closedEarly, { timeout: 5_000 }).toBe(true);
    expect(written).toBeLessThan(chunks);
  });
});

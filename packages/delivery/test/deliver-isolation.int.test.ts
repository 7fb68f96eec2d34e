import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { createDeliverer } from '../src/index.ts';
import { destinationFor, localServer, message } from './local-server.ts';

/** A deliverer whose breaker for `url` opened on one failed delivery and has just cooled down. */
async function halfOpenAt(url: string) {
  let now = 0;
  const deliverer = createDeliverer({
    breaker: { failureThreshold: 1, coolDownMs: 1_000 },
    now: () => now,
  });
  const destination = destinationFor(url);
  await deliverer.deliver(destination, message());
  now += 1_000;
  return { deliverer, destination };
}

describe('deliver: one destination never holds up another', () => {
  it('the breaker opens after consecutive failures, fails fast, half-opens and closes', async () => {
    let healthy = false;
    const server = await localServer((_request, response) => {
      response.writeHead(healthy ? 200 : 500).end();
    });
    let now = Date.parse('2026-03-01T12:00:00Z');
    const deliverer = createDeliverer({
      breaker: { failureThreshold: 3, coolDownMs: 10_000 },
      now: () => now,
    });
    const destination = destinationFor(server.url);
    const state = () => deliverer.breakers().map((reading) => reading.state);
    expect(deliverer.breakers()).toEqual([]);

    for (let i = 0; i < 3; i += 1) {
      expect(await deliverer.deliver(destination, message())).toMatchObject({ reason: 'status' });
    }
    expect(deliverer.breakers()).toEqual([
      { source: message().source, destination: destination.name, state: 'open' },
    ]);
    now += 4_000;
    expect(await deliverer.deliver(destination, message())).toEqual({
      kind: 'retry',
      reason: 'breaker-open',
      retryAfterMs: 6_000,
      attempt: undefined,
    });
    expect(server.received).toHaveLength(3);

    now += 6_000;
    expect(state()).toEqual(['half-open']);
    expect(await deliverer.deliver(destination, message())).toMatchObject({ reason: 'status' });
    expect(server.received).toHaveLength(4);
    expect(await deliverer.deliver(destination, message())).toMatchObject({
      reason: 'breaker-open',
    });

    now += 10_000;
    healthy = true;
    expect(await deliverer.deliver(destination, message())).toMatchObject({ kind: 'delivered' });
    expect(await deliverer.deliver(destination, message())).toMatchObject({ kind: 'delivered' });
    expect(server.received).toHaveLength(6);
    expect(state()).toEqual(['closed']);
  });

  it('half-open lets one probe through while the others still fail fast', async () => {
    const server = await localServer(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      response.writeHead(500).end();
    });
    const { deliverer, destination } = await halfOpenAt(server.url);
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => deliverer.deliver(destination, message())),
    );
    expect(
      outcomes.map((outcome) => (outcome.kind === 'retry' ? outcome.reason : outcome.kind)).sort(),
    ).toEqual(['breaker-open', 'breaker-open', 'status']);
    expect(server.received).toHaveLength(2);
  });

  it('a probe that throws before its request leaves the next caller free to probe', async () => {
    let healthy = false;
    const server = await localServer((_request, response) => {
      response.writeHead(healthy ? 200 : 500).end();
    });
    const { deliverer, destination } = await halfOpenAt(server.url);
    healthy = true;
    await expect(deliverer.deliver(destination, message({ payload: { n: 1n } }))).rejects.toThrow(
      'BigInt',
    );
    expect(await deliverer.deliver(destination, message())).toMatchObject({ kind: 'delivered' });
  });

  it("an open breaker is that destination's alone", async () => {
    const failing = await localServer((_request, response) => {
      response.writeHead(500).end();
    });
    const healthy = await localServer((_request, response) => {
      response.writeHead(200).end();
    });
    const deliverer = createDeliverer({ breaker: { failureThreshold: 1, coolDownMs: 60_000 } });
    const broken = destinationFor(failing.url, { name: 'broken' });
    await deliverer.deliver(broken, message());
    expect(await deliverer.deliver(broken, message())).toMatchObject({ reason: 'breaker-open' });
    const other = destinationFor(healthy.url, { name: 'other' });
    expect(await deliverer.deliver(other, message())).toMatchObject({ kind: 'delivered' });
  });

  it('the rate limit spaces deliveries to its destination', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(200).end();
    });
    const deliverer = createDeliverer({ maxRateWaitMs: 10_000 });
    const destination = destinationFor(server.url, { rateLimitPerSecond: 10 });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => deliverer.deliver(destination, message())),
    );
    expect(outcomes.every((outcome) => outcome.kind === 'delivered')).toBe(true);
    const times = server.received.map((request) => request.at).sort((a, b) => a - b);
    // A burst of one second's worth (10), then one each 100 ms: the last ~1 s after the first.
    const spread = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(spread).toBeGreaterThanOrEqual(800);
    expect(spread).toBeLessThan(5_000);
  });

  it('a delivery that would wait past the limit is deferred at once, with no request', async () => {
    const server = await localServer((_request, response) => {
      response.writeHead(200).end();
    });
    const deliverer = createDeliverer({ maxRateWaitMs: 0 });
    const destination = destinationFor(server.url, { rateLimitPerSecond: 1 });
    expect(await deliverer.deliver(destination, message())).toMatchObject({ kind: 'delivered' });
    const deferred = await deliverer.deliver(destination, message());
    if (deferred.kind !== 'retry') throw new Error(`expected a retry, got ${deferred.kind}`);
    expect(deferred).toMatchObject({ reason: 'rate-limited', attempt: undefined });
    expect(deferred.retryAfterMs).toBeGreaterThan(0);
    expect(deferred.retryAfterMs).toBeLessThanOrEqual(1_000);
    expect(server.received).toHaveLength(1);
  });

  it('a slow, rate-limited destination does not delay deliveries to another', async () => {
    const slow = await localServer(async (_request, response) => {
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      response.writeHead(200).end();
    });
    const fast = await localServer((_request, response) => {
      response.writeHead(200).end();
    });
    const deliverer = createDeliverer({ maxRateWaitMs: 10_000 });
    const slowDestination = destinationFor(slow.url, { name: 'slow', rateLimitPerSecond: 1 });
    const fastDestination = destinationFor(fast.url, { name: 'fast' });

    const started = performance.now();
    const slowDeliveries = Promise.all(
      [1, 2, 3].map(() => deliverer.deliver(slowDestination, message())),
    );
    for (let i = 0; i < 10; i += 1) {
      expect(await deliverer.deliver(fastDestination, message())).toMatchObject({
        kind: 'delivered',
      });
    }
    const fastDone = performance.now() - started;
    const slowOutcomes = await slowDeliveries;
    const slowDone = performance.now() - started;

    expect(slowOutcomes.every((outcome) => outcome.kind === 'delivered')).toBe(true);
    expect(fastDone).toBeLessThan(2_000);
    expect(slowDone).toBeGreaterThanOrEqual(3_000);
  });
});

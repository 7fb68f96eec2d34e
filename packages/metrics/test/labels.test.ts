import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { cached } from '../src/cached.ts';
import { boundedLabelPer, OTHER_VALUE, sourceLabel, UNKNOWN_SOURCE } from '../src/labels.ts';
import { createWorkerMetrics } from '../src/worker.ts';

describe('labels', () => {
  it('maps a source nobody configured to one label', () => {
    const label = sourceLabel(new Set(['payments']));
    expect(label('payments')).toBe('payments');
    expect(label('random-attacker-path')).toBe(UNKNOWN_SOURCE);
  });

  it('keeps the first values of a label and folds later ones into other', () => {
    const label = boundedLabelPer(2);
    expect(['a', 'b', 'c', 'a', 'd'].map((value) => label('payments', value))).toEqual([
      'a',
      'b',
      OTHER_VALUE,
      'a',
      OTHER_VALUE,
    ]);
  });
});

describe('worker metrics', () => {
  it("bounds event types per source: one source's invented types leave the others' alone", async () => {
    const registry = new Registry();
    const metrics = createWorkerMetrics(registry, ['noisy', 'payments'], {
      queueCounts: async () => ({}),
      inbox: async () => ({ byStatus: {}, oldestUnfinishedSeconds: 0, blockedKeys: 0 }),
    });
    for (let i = 0; i < 250; i += 1)
      metrics.job({ source: 'noisy', type: `type.${i}`, outcome: 'processed', seconds: 0.01 });
    metrics.job({
      source: 'payments',
      type: 'payment.succeeded',
      outcome: 'processed',
      seconds: 0.01,
    });
    const jobs = (await registry.getSingleMetric('webhook_jobs_total')?.get())?.values ?? [];
    const types = (source: string) =>
      new Set(jobs.filter((v) => v.labels.source === source).map((v) => v.labels.type));
    expect(types('payments')).toEqual(new Set(['payment.succeeded']));
    expect(types('noisy').size).toBe(201);
    expect(types('noisy').has(OTHER_VALUE)).toBe(true);
  });

  it('reads the blocked ordering keys on scrape', async () => {
    const registry = new Registry();
    let blockedKeys = 3;
    createWorkerMetrics(registry, ['payments'], {
      queueCounts: async () => ({}),
      inbox: async () => ({ byStatus: {}, oldestUnfinishedSeconds: 0, blockedKeys }),
      cacheMs: 0,
    });
    const read = async () =>
      (await registry.getSingleMetric('webhook_ordering_blocked_keys')?.get())?.values.map(
        (v) => v.value,
      );
    expect(await read()).toEqual([3]);
    blockedKeys = 0;
    expect(await read()).toEqual([0]);
  });
});

describe('cached', () => {
  it('reads once per period, however many ask at once', async () => {
    let reads = 0;
    const read = cached(async () => ++reads, 60_000);
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    expect(await read()).toBe(1);
  });

  it('does not keep a failed read: the next scrape tries again', async () => {
    let reads = 0;
    const read = cached(async () => {
      reads += 1;
      if (reads === 1) throw new Error('postgres is away');
      return reads;
    }, 60_000);
    await expect(read()).rejects.toThrow('postgres is away');
    expect(await read()).toBe(2);
  });
});

import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createDeliveryMetrics, type DeliveryProbes } from '../src/delivery.ts';

const configured = new Map([['payments', ['billing', 'ledger']]]);

function metricsWith(probes: Partial<DeliveryProbes> = {}) {
  const registry = new Registry();
  const metrics = createDeliveryMetrics(registry, configured, {
    breakers: () => [],
    disabled: async () => [],
    cacheMs: 0,
    ...probes,
  });
  const values = async (name: string) =>
    (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return { metrics, values };
}

describe('delivery metrics', () => {
  it('counts runs by outcome, failed requests by reason, and observes each request', async () => {
    const { metrics, values } = metricsWith();
    metrics.delivery({
      source: 'payments',
      destination: 'billing',
      outcome: 'failed',
      request: { seconds: 0.2, failure: 'status' },
    });
    metrics.delivery({
      source: 'payments',
      destination: 'billing',
      outcome: 'delivered',
      request: { seconds: 0.05 },
    });
    metrics.delivery({ source: 'payments', destination: 'billing', outcome: 'deferred' });
    const billing = { source: 'payments', destination: 'billing' };
    expect(
      (await values('webhook_deliveries_total')).map((v) => [v.labels.outcome, v.value]),
    ).toEqual([
      ['failed', 1],
      ['delivered', 1],
      ['deferred', 1],
    ]);
    expect(await values('webhook_delivery_failures_total')).toEqual([
      { labels: { ...billing, reason: 'status' }, value: 1 },
    ]);
    const latency = await values('webhook_delivery_duration_seconds');
    const count = latency.find((v) =>
      (v as { metricName?: string }).metricName?.endsWith('_count'),
    );
    expect(count?.value).toBe(2);
  });

  it('folds a source or destination the sources file does not name into unknown', async () => {
    const { metrics, values } = metricsWith();
    metrics.delivery({ source: 'payments', destination: 'removed', outcome: 'dead' });
    metrics.delivery({ source: 'nope', destination: 'billing', outcome: 'dead' });
    expect((await values('webhook_deliveries_total')).map((v) => v.labels)).toEqual([
      { source: 'payments', destination: 'unknown', outcome: 'dead' },
      { source: 'unknown', destination: 'unknown', outcome: 'dead' },
    ]);
  });

  it("shows each breaker's state as a number, and only the breakers that exist now", async () => {
    let states = [{ source: 'payments', destination: 'billing', state: 'open' as const }];
    const { values } = metricsWith({ breakers: () => states });
    expect(await values('webhook_delivery_breaker_state')).toEqual([
      { labels: { source: 'payments', destination: 'billing' }, value: 2 },
    ]);
    states = [];
    expect(await values('webhook_delivery_breaker_state')).toEqual([]);
  });

  it('shows every configured destination as disabled or not, and nothing while Postgres is away', async () => {
    let away = false;
    const { values } = metricsWith({
      disabled: async () => {
        if (away) throw new Error('connection refused');
        return [{ source: 'payments', destination: 'ledger' }];
      },
    });
    expect(await values('webhook_destination_disabled')).toEqual([
      { labels: { source: 'payments', destination: 'billing' }, value: 0 },
      { labels: { source: 'payments', destination: 'ledger' }, value: 1 },
    ]);
    away = true;
    expect(await values('webhook_destination_disabled')).toEqual([]);
  });
});

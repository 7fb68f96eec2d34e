import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { cached } from './cached.ts';
import {
  BREAKER_STATE_VALUES,
  type BreakerStateName,
  type DeliveryFailureReason,
  type DeliveryRunOutcome,
} from './delivery-outcome.ts';
import { sourceLabel, UNKNOWN_SOURCE } from './labels.ts';

/** One run of a delivery job. */
export interface DeliveryReport {
  readonly source: string;
  readonly destination: string;
  readonly outcome: DeliveryRunOutcome;
  /** Present when a request was made. */
  readonly request?: {
    readonly seconds: number;
    /** Absent for a 2xx. */
    readonly failure?: DeliveryFailureReason;
  };
}

export interface DeliveryProbes {
  /** This process's breakers, one per (source, destination) it has sent to. */
  readonly breakers: () => ReadonlyArray<{
    readonly source: string;
    readonly destination: string;
    readonly state: BreakerStateName;
  }>;
  /** The destinations a 410 disabled, from Postgres. */
  readonly disabled: () => Promise<ReadonlyArray<{ source: string; destination: string }>>;
  readonly cacheMs?: number;
}

// An answer takes from a few ms to the 15 s default timeout.
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30];

/**
 * The HTTP destinations' metrics, labelled by source and destination. Both come from the
 * sources file (a name seen nowhere in it becomes `unknown`), so series stay bounded.
 */
export function createDeliveryMetrics(
  registry: Registry,
  configured: ReadonlyMap<string, readonly string[]>,
  probes: DeliveryProbes,
) {
  const registers = [registry];
  const source = sourceLabel(new Set(configured.keys()));
  const destination = (sourceName: string, name: string) =>
    configured.get(sourceName)?.includes(name) ? name : UNKNOWN_SOURCE;
  const labelsOf = (report: { source: string; destination: string }) => {
    const sourceName = source(report.source);
    return { source: sourceName, destination: destination(sourceName, report.destination) };
  };
  const disabled = cached(probes.disabled, probes.cacheMs ?? 5_000);

  const deliveries = new Counter({
    name: 'webhook_deliveries_total',
    help: 'Delivery job runs by source, destination and outcome (delivered, failed, dead, gone, disabled, deferred).',
    labelNames: ['source', 'destination', 'outcome'] as const,
    registers,
  });
  const failures = new Counter({
    name: 'webhook_delivery_failures_total',
    help: 'Requests to a destination that did not get a 2xx, by reason (status, redirect, timeout, network, gone).',
    labelNames: ['source', 'destination', 'reason'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'webhook_delivery_duration_seconds',
    help: "A request to a destination, until its answer's first KiB was read or it failed.",
    labelNames: ['source', 'destination'] as const,
    buckets: LATENCY_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'webhook_delivery_breaker_state',
    help: "This process's circuit breaker per destination: 0 closed, 1 half-open, 2 open.",
    labelNames: ['source', 'destination'] as const,
    registers,
    collect() {
      this.reset();
      for (const breaker of probes.breakers())
        this.set(labelsOf(breaker), BREAKER_STATE_VALUES[breaker.state]);
    },
  });
  new Gauge({
    name: 'webhook_destination_disabled',
    help: 'Per configured destination: 1 while a 410 keeps it disabled, else 0. Read on scrape.',
    labelNames: ['source', 'destination'] as const,
    registers,
    async collect() {
      try {
        const off = new Set((await disabled()).map((row) => `${row.source}/${row.destination}`));
        for (const [sourceName, names] of configured) {
          for (const name of names) {
            this.set(
              { source: sourceName, destination: name },
              off.has(`${sourceName}/${name}`) ? 1 : 0,
            );
          }
        }
      } catch {
        // No series rather than a stale value while Postgres is away.
        this.reset();
      }
    },
  });

  return {
    delivery(report: DeliveryReport) {
      const labels = labelsOf(report);
      deliveries.inc({ ...labels, outcome: report.outcome });
      if (!report.request) return;
      latency.observe(labels, report.request.seconds);
      if (report.request.failure) failures.inc({ ...labels, reason: report.request.failure });
    },
  };
}

export type DeliveryMetrics = ReturnType<typeof createDeliveryMetrics>;

import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { cached } from './cached.ts';
import type { CountedJobOutcome } from './job-outcome.ts';
import { boundedLabelPer, sourceLabel } from './labels.ts';

/** One job's end: its outcome and how long it took. */
export interface JobReport {
  readonly source: string;
  /** Undefined when the attempt failed before the row was read back (its transaction rolled back). */
  readonly type: string | undefined;
  readonly outcome: CountedJobOutcome;
  readonly seconds: number;
}

/** The inbox as the lag and status gauges show it. */
export interface InboxSnapshot {
  readonly byStatus: Readonly<Record<string, number>>;
  /** Age of the oldest received or failed event; 0 when there is none. */
  readonly oldestUnfinishedSeconds: number;
  /** Ordering keys held back by a failed or dead event at their head. */
  readonly blockedKeys: number;
}

export interface WorkerProbes {
  /** BullMQ's job counts by state. */
  readonly queueCounts: () => Promise<Readonly<Record<string, number>>>;
  readonly inbox: () => Promise<InboxSnapshot>;
  /** How long a scrape's reads are reused: several scrapers cost Postgres one query. */
  readonly cacheMs?: number;
}

const HANDLER_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
/**
 * Event types per source: they come from verified senders, but a sender may still invent
 * thousands. Sources are bounded (configured ones and `unknown`), so series stay bounded too.
 */
const MAX_EVENT_TYPES_PER_SOURCE = 200;

/**
 * A gauge whose read failed (Postgres or Redis away) shows no series rather than a stale value,
 * so `absent()` alerts fire and the rest of the scrape still succeeds.
 */
async function refresh(gauge: Gauge<string>, read: () => Promise<void>) {
  try {
    await read();
  } catch {
    gauge.reset();
  }
}

export function createWorkerMetrics(
  registry: Registry,
  sources: Iterable<string>,
  probes: WorkerProbes,
) {
  const source = sourceLabel(new Set(sources));
  const type = boundedLabelPer(MAX_EVENT_TYPES_PER_SOURCE);
  const registers = [registry];
  const cacheMs = probes.cacheMs ?? 5_000;
  const queueCounts = cached(probes.queueCounts, cacheMs);
  const inbox = cached(probes.inbox, cacheMs);

  const jobs = new Counter({
    name: 'webhook_jobs_total',
    help: 'Job attempts ended, by source, event type and outcome (processed, ignored, failed, dead…).',
    labelNames: ['source', 'type', 'outcome'] as const,
    registers,
  });
  const handlerDuration = new Histogram({
    name: 'webhook_handler_duration_seconds',
    help: "A job's transaction (row lock, handler, mark), by source and event type.",
    labelNames: ['source', 'type'] as const,
    buckets: HANDLER_BUCKETS,
    registers,
  });
  new Gauge({
    name: 'webhook_queue_jobs',
    help: 'Jobs in the BullMQ queue by state, read on scrape.',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      await refresh(this, async () => {
        for (const [state, count] of Object.entries(await queueCounts()))
          this.set({ state }, count);
      });
    },
  });
  new Gauge({
    name: 'webhook_events',
    help: 'Events in the inbox by status, read on scrape.',
    labelNames: ['status'] as const,
    registers,
    async collect() {
      await refresh(this, async () => {
        const { byStatus } = await inbox();
        for (const [status, count] of Object.entries(byStatus)) this.set({ status }, count);
      });
    },
  });
  new Gauge({
    name: 'webhook_oldest_unfinished_event_age_seconds',
    help: 'Age of the oldest event not yet processed (received or failed): the lag to alert on.',
    registers,
    async collect() {
      await refresh(this, async () => this.set((await inbox()).oldestUnfinishedSeconds));
    },
  });
  new Gauge({
    name: 'webhook_ordering_blocked_keys',
    help: 'Ordering keys whose head event failed or is dead, so the events after it wait; read on scrape.',
    registers,
    async collect() {
      await refresh(this, async () => this.set((await inbox()).blockedKeys));
    },
  });
  const relayRequeued = new Counter({
    name: 'webhook_relay_requeued_total',
    help: 'Jobs the relay (re)added for stored events that may have had none.',
    registers,
  });
  const retentionPruned = new Counter({
    name: 'webhook_retention_pruned_total',
    help: 'Rows retention changed: payloads dropped (step tombstone) or rows deleted (step delete).',
    labelNames: ['step'] as const,
    registers,
  });

  return {
    job(report: JobReport) {
      const sourceName = source(report.source);
      const labels = { source: sourceName, type: type(sourceName, report.type ?? 'unknown') };
      jobs.inc({ ...labels, outcome: report.outcome });
      handlerDuration.observe(labels, report.seconds);
    },
    relayRequeued(count: number) {
      relayRequeued.inc(count);
    },
    retentionPruned(step: string, count: number) {
      retentionPruned.inc({ step }, count);
    },
  };
}

export type WorkerMetrics = ReturnType<typeof createWorkerMetrics>;

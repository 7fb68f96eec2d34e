import { Counter, Histogram, type Registry } from 'prom-client';
import { sourceLabel } from './labels.ts';
import type { RequestOutcome } from './request-outcome.ts';

/** What the ingress's one log line per webhook request says, as the metrics need it. */
export interface WebhookRequestReport {
  readonly source: string;
  readonly outcome: RequestOutcome;
  readonly status: number;
  readonly seconds: number;
  readonly duplicate?: boolean | undefined;
  readonly conflicting?: boolean | undefined;
}

// From a fraction of a millisecond (a duplicate) to the seconds a provider's timeout allows.
const ACK_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export function createIngressMetrics(registry: Registry, sources: Iterable<string>) {
  const source = sourceLabel(new Set(sources));
  const registers = [registry];
  const requests = new Counter({
    name: 'webhook_requests_total',
    help: 'Webhook requests answered, by source, outcome and HTTP status.',
    labelNames: ['source', 'outcome', 'status'] as const,
    registers,
  });
  const ackDuration = new Histogram({
    name: 'webhook_ack_duration_seconds',
    help: 'Time from request to a 2xx answer (event committed and queued), by source.',
    labelNames: ['source'] as const,
    buckets: ACK_BUCKETS,
    registers,
  });
  const verificationFailures = new Counter({
    name: 'webhook_verification_failures_total',
    help: 'Requests whose signature or credential failed verification, by source and reason.',
    labelNames: ['source', 'reason'] as const,
    registers,
  });
  const stored = new Counter({
    name: 'webhook_events_stored_total',
    help: 'Events committed to the inbox for the first time, by source.',
    labelNames: ['source'] as const,
    registers,
  });
  const duplicates = new Counter({
    name: 'webhook_duplicates_total',
    help: 'Deliveries of an event already in the inbox (acked, not stored again), by source.',
    labelNames: ['source'] as const,
    registers,
  });
  const conflicting = new Counter({
    name: 'webhook_conflicting_duplicates_total',
    help: 'Duplicates whose body differs from the stored one (same event ID, other content).',
    labelNames: ['source'] as const,
    registers,
  });

  return {
    request(report: WebhookRequestReport) {
      const labels = { source: source(report.source) };
      const status = String(report.status);
      requests.inc({ ...labels, outcome: report.outcome, status });
      if (report.status >= 200 && report.status < 300) ackDuration.observe(labels, report.seconds);
      if (report.outcome !== 'accepted') return;
      if (!report.duplicate) stored.inc(labels);
      else duplicates.inc(labels);
      if (report.conflicting) conflicting.inc(labels);
    },
    verificationFailure(sourceName: string, reason: string) {
      verificationFailures.inc({ source: source(sourceName), reason });
    },
  };
}

export type IngressMetrics = ReturnType<typeof createIngressMetrics>;

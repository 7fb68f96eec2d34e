import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createDeliveryMetrics,
  createIngressMetrics,
  createRegistry,
  createWorkerMetrics,
  DELIVERY_FAILURE_REASONS,
  DELIVERY_OUTCOMES,
  JOB_OUTCOMES,
  REQUEST_OUTCOMES,
} from '@webhook-inbox/metrics';
import { Histogram } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const deploy = (file: string) => join(process.cwd(), 'deploy', file);
const read = (file: string) => readFileSync(deploy(file), 'utf8');

/** Every metric our processes export, by the names Prometheus stores. */
function exportedNames(): Set<string> {
  const registry = createRegistry();
  createIngressMetrics(registry, []);
  const never = () => Promise.reject(new Error('not scraped in this test'));
  createWorkerMetrics(registry, [], { queueCounts: never, inbox: never });
  createDeliveryMetrics(registry, new Map(), { breakers: () => [], disabled: never });
  const names = new Set<string>();
  for (const metric of registry.getMetricsAsArray()) {
    names.add(metric.name);
    if (metric instanceof Histogram) {
      for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${metric.name}${suffix}`);
    }
  }
  return names;
}

/** The metric names an expression uses: ours and Node's, not Prometheus's own (`up`). */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\b((?:webhook|process|nodejs)_[a-z0-9_]+)\b/g)].flatMap(
    (match) => match[1] ?? [],
  );

/** Every string inside a parsed YAML or JSON document: expressions and the text around them. */
const stringsIn = (value: unknown): string[] =>
  typeof value === 'string'
    ? [value]
    : typeof value === 'object' && value !== null
      ? Object.values(value).flatMap(stringsIn)
      : [];

/**
 * The values a label matcher names in selectors of `metric` (`outcome="failed"`, or each
 * alternative of `outcome=~"dead|failed"`).
 */
function labelValuesIn(texts: readonly string[], metric: string, label: string): string[] {
  const selector = new RegExp(`\\b${metric}\\{([^}]*)\\}`, 'g');
  const matcher = new RegExp(`\\b${label}=~?"([^"]*)"`, 'g');
  return texts.flatMap((text) =>
    [...text.matchAll(selector)].flatMap(([, labels]) =>
      [...(labels ?? '').matchAll(matcher)].flatMap(([, value]) => (value ?? '').split('|')),
    ),
  );
}

interface Rule {
  alert: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

describe('deploy/', () => {
  const names = exportedNames();

  it('has a scrape config that loads its alert rules and scrapes both admin ports', () => {
    const config = parse(read('prometheus/prometheus.yml'));
    for (const file of config.rule_files)
      expect(existsSync(deploy(`prometheus/${file}`))).toBe(true);
    const ports = config.scrape_configs.flatMap((job: { dns_sd_configs: { port: number }[] }) =>
      job.dns_sd_configs.map((sd) => sd.port),
    );
    expect(ports.sort()).toEqual([9464, 9465]);
  });

  it('alerts only on metrics the processes export, each with a summary', () => {
    const { groups } = parse(read('prometheus/alerts.yml'));
    const rules: Rule[] = groups.flatMap((group: { rules: Rule[] }) => group.rules);
    expect(rules.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'WebhookInboxLagging',
        'WebhookInboxDeadEventsGrowing',
        'WebhookInboxUnavailable',
        'WebhookVerificationFailuresSpiking',
        'WebhookDestinationBreakerOpen',
        'WebhookDestinationDisabled',
        'WebhookOrderingKeyBlocked',
      ]),
    );
    for (const rule of rules) {
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      for (const metric of metricsIn(rule.expr))
        expect(names, `${rule.alert}: ${metric}`).toContain(metric);
    }
  });

  it('has a Grafana dashboard whose every query names exported metrics', () => {
    const dashboard = JSON.parse(read('grafana/webhook-inbox.json'));
    const exprs: string[] = dashboard.panels.flatMap((panel: { targets: { expr: string }[] }) =>
      panel.targets.map((target) => target.expr),
    );
    expect(exprs.length).toBeGreaterThan(10);
    const used = new Set(exprs.flatMap(metricsIn));
    for (const metric of used) expect(names, metric).toContain(metric);
    // Every metric of ours is on the dashboard somewhere.
    for (const metric of [...names].filter((name) => name.startsWith('webhook_'))) {
      const base = metric.replace(/_(bucket|sum|count)$/, '');
      expect(
        [...used].some((name) => name.startsWith(base)),
        metric,
      ).toBe(true);
    }
  });

  it('names only outcomes and statuses the outcome tables list', () => {
    const texts = [
      ...stringsIn(parse(read('prometheus/alerts.yml'))),
      ...stringsIn(JSON.parse(read('grafana/webhook-inbox.json'))),
    ];
    const jobOutcomes = labelValuesIn(texts, 'webhook_jobs_total', 'outcome');
    // The lagging alert points at failed jobs: the check reads what the rules say.
    expect(jobOutcomes).toContain('failed');
    const counted = Object.entries(JOB_OUTCOMES).flatMap(([name, entry]) =>
      entry.counted ? [name] : [],
    );
    for (const outcome of jobOutcomes) expect(counted, outcome).toContain(outcome);

    for (const outcome of labelValuesIn(texts, 'webhook_requests_total', 'outcome'))
      expect(Object.keys(REQUEST_OUTCOMES), outcome).toContain(outcome);
    const statuses = labelValuesIn(texts, 'webhook_requests_total', 'status');
    expect(statuses).toContain('503');
    const answered = Object.values(REQUEST_OUTCOMES).map((entry) => String(entry.status));
    for (const status of statuses) expect(answered, status).toContain(status);

    const deliveryOutcomes = labelValuesIn(texts, 'webhook_deliveries_total', 'outcome');
    expect(deliveryOutcomes).toContain('dead');
    for (const outcome of deliveryOutcomes)
      expect(Object.keys(DELIVERY_OUTCOMES), outcome).toContain(outcome);
    for (const reason of labelValuesIn(texts, 'webhook_delivery_failures_total', 'reason'))
      expect(DELIVERY_FAILURE_REASONS, reason).toContain(reason);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createIngressMetrics, createRegistry, createWorkerMetrics } from '@webhook-inbox/metrics';
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
});

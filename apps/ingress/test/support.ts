import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import {
  PAYMENTS_SECRET,
  POLKA_KEY,
  silentLog,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import type { EventLimits } from '@webhook-inbox/verify';
import { buildIngress } from '../src/app.ts';
import { loadIngressSources, type Source } from '../src/sources.ts';

/** Loads sources through the real loader, from a file, as the ingress does at start-up. */
export function sourcesFrom(entries: unknown[], limits?: EventLimits): Map<string, Source> {
  const dir = mkdtempSync(join(tmpdir(), 'wi-sources-'));
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify(entries));
  return loadIngressSources(file, {}, limits);
}

export function exampleSources(retry = { attempts: 3, backoffMs: 20 }) {
  return sourcesFrom([
    { name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET, retry },
    {
      name: 'polka',
      provider: 'api-key',
      secrets: ['old_key', POLKA_KEY],
      options: { typeField: 'event' },
      retry,
    },
  ]);
}

export function ingressFor(env: TestEnvironment, sources = exampleSources()) {
  return buildIngress({
    sources,
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
  });
}

/** An ingress whose Redis is unreachable (nothing listens on port 1): it stores but cannot queue. */
export function ingressWithoutRedis(env: TestEnvironment) {
  const redis = createRedis('redis://127.0.0.1:1', 'producer');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.queuePrefix);
  queue.on('error', () => {});
  const app = buildIngress({
    sources: exampleSources(),
    db: env.db,
    queue,
    redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
  });
  return {
    app,
    async close() {
      await app.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

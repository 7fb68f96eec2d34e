import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildIngress,
  type IngressDeps,
  loadIngressSources,
  type Source,
} from '@webhook-inbox/ingress';
import { createRedis, createWebhookQueue } from '@webhook-inbox/queue';
import type { EventLimits } from '@webhook-inbox/verify';
import type { FastifyInstance } from 'fastify';
import { PAYMENTS_SECRET, POLKA_KEY, silentLog } from './events.ts';
import type { TestEnvironment } from './harness.ts';
import { type AppUnderTest, appPerFile, type SettingsFor, settingsOn } from './per-file.ts';

/** Loads sources through the real loader, from a file, as the ingress does at start-up. */
export function sourcesFrom(entries: unknown[], limits?: EventLimits): Map<string, Source> {
  const dir = mkdtempSync(join(tmpdir(), 'wi-sources-'));
  const file = join(dir, 'sources.json');
  writeFileSync(file, JSON.stringify(entries));
  return loadIngressSources(file, {}, limits);
}

/** The example `payments` (HMAC) and `polka` (API key, a rotated key) sources. */
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

/** What a test changes of an ingress; the rest is the environment's and the example's. */
export type IngressOptions = Partial<IngressDeps>;

/** An ingress on `env`'s database and queue, serving the example sources unless told others. */
export function ingressFor(env: TestEnvironment, options: IngressOptions = {}): FastifyInstance {
  return buildIngress({
    db: env.db,
    queue: env.queue,
    redis: env.redis,
    log: silentLog,
    bodyLimit: 64 * 1024,
    ...options,
    sources: options.sources ?? exampleSources(),
  });
}

/** An ingress whose Redis is unreachable (nothing listens on port 1): it stores but cannot queue. */
export function ingressWithoutRedis(env: TestEnvironment) {
  const redis = createRedis('redis://127.0.0.1:1', 'producer');
  redis.on('error', () => {});
  const queue = createWebhookQueue(redis, env.queuePrefix);
  queue.on('error', () => {});
  const app = ingressFor(env, { queue, redis });
  return {
    app,
    async close() {
      await app.close();
      await queue.close();
      redis.disconnect();
    },
  };
}

/** One environment and one ingress for the calling test file (see `appPerFile`). */
export function ingressPerFile(
  options: SettingsFor<IngressOptions> = {},
): AppUnderTest<FastifyInstance> {
  return appPerFile(async (env) => ingressFor(env, await settingsOn(options, env)));
}

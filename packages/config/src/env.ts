import { z } from 'zod';
import { ConfigError, describeIssue } from './errors.ts';

export type Env = Readonly<Record<string, string | undefined>>;

/** Settings every process shares; each app extends this with its own. */
export const commonEnv = {
  /** Postgres; the database is created by `npm run db:migrate` if missing. */
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/webhooks'),
  /** Redis for BullMQ. Needs `maxmemory-policy noeviction`: evicted jobs are lost jobs. */
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  /**
   * BullMQ key prefix, so several deployments (or test runs) can share one Redis. On Redis
   * Cluster wrap it in braces, `{webhook-inbox}`: the hash tag keeps every key of the queue in
   * one slot, as BullMQ's scripts require.
   */
  QUEUE_PREFIX: z
    .string()
    .regex(
      /^(?:[A-Za-z0-9_-]+|\{[A-Za-z0-9_-]+\})$/,
      'letters, digits, _ and - only, optionally all in one {hash tag}',
    )
    .default('webhook-inbox'),
  /** The JSON array of sources (see README). */
  SOURCES_FILE: z.string().min(1).default('config/sources.json'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

/** The admin port of a process: metrics (and the worker's health checks), never the public port. */
export const adminEnv = (defaultPort: number) => ({
  /**
   * Where Prometheus scrapes `/metrics`; keep it off the public network. 0 picks a free port.
   * `INGRESS_METRICS_PORT` / `WORKER_METRICS_PORT` win over it (see `withOwnAdminPort`).
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(defaultPort),
  /** Interface of the admin port; 0.0.0.0 in a container, so Prometheus can reach it. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
});

/**
 * `npm start` runs the ingress and the worker in one environment, where a single METRICS_PORT
 * would be bound twice; each reads its own `<PROCESS>_METRICS_PORT` first.
 */
export function withOwnAdminPort(env: Env, process: 'INGRESS' | 'WORKER'): Env {
  const own = env[`${process}_METRICS_PORT`];
  return own ? { ...env, METRICS_PORT: own } : env;
}

/** How long the inbox keeps finished events; read by the worker (scheduled) and the CLI (`prune`). */
export const retentionEnv = {
  /** Days after which a processed or ignored event's payload and headers are dropped. */
  RETENTION_PAYLOAD_DAYS: z.coerce.number().int().positive().default(30),
  /** Days after which a processed or ignored event's row (its tombstone) is deleted. */
  RETENTION_DAYS: z.coerce.number().int().positive().default(90),
};

/**
 * Parses the environment once at start-up; a bad value throws one line naming the setting.
 * An empty variable counts as unset (`PORT=` must not mean port 0), as compose's `${VAR:-}` makes.
 */
export function parseEnv<Shape extends z.ZodRawShape>(
  shape: Shape,
  env: Env,
): z.infer<z.ZodObject<Shape>> {
  const set = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
  const result = z.object(shape).safeParse(set);
  if (!result.success) {
    throw new ConfigError(`invalid environment: ${describeIssue(result.error.issues)}`);
  }
  return result.data;
}

/** Dedupe needs the tombstone: a row may not be deleted before its payload is dropped. */
export function checkRetention(env: { RETENTION_PAYLOAD_DAYS: number; RETENTION_DAYS: number }) {
  if (env.RETENTION_DAYS < env.RETENTION_PAYLOAD_DAYS) {
    throw new ConfigError(
      `invalid environment: RETENTION_DAYS (${env.RETENTION_DAYS}) must be at least RETENTION_PAYLOAD_DAYS (${env.RETENTION_PAYLOAD_DAYS})`,
    );
  }
}

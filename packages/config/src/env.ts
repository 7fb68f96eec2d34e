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

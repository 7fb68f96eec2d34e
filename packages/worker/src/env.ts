import {
  adminEnv,
  checkRetention,
  commonEnv,
  parseEnv,
  retentionEnv,
  withOwnAdminPort,
} from '@webhook-inbox/config';
import { parseHostAllowList } from '@webhook-inbox/delivery';
import { z } from 'zod';
import { GROUP_DEFAULTS } from './group-commit.ts';

const ms = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const workerEnv = {
  ...commonEnv,
  ...adminEnv(9465),
  ...retentionEnv,
  /**
   * The module whose `handlers` (or default export, made with `defineHandlers()`) the worker
   * runs: a path against the working directory, or a package name. Unset: the payments example (examples/payments).
   */
  HANDLERS_MODULE: z.string().min(1).optional(),
  /** How often retention runs (one worker at a time runs it). */
  RETENTION_INTERVAL_MS: ms(3_600_000),
  /** Jobs one process runs at once; each holds a Postgres connection while it runs. */
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * Jobs that share one Postgres transaction (a savepoint each), at most `WORKER_CONCURRENCY`:
   * fewer round trips and one commit per group. 1 gives each job its own transaction. At most
   * 64: past that many savepoints a transaction slows every other session's snapshots.
   */
  WORKER_GROUP_SIZE: z.coerce.number().int().min(1).max(64).default(GROUP_DEFAULTS.size),
  /** How long the first job of a group waits for more (0: only jobs that arrived with it). */
  WORKER_GROUP_WAIT_MS: z.coerce.number().int().min(0).max(1_000).default(GROUP_DEFAULTS.waitMs),
  /** A job whose lock is not renewed this long is stalled: its worker is presumed dead. */
  WORKER_LOCK_DURATION_MS: ms(10_000),
  /** How often workers look for stalled jobs. Recovery after a crash takes up to lock + this. */
  WORKER_STALLED_INTERVAL_MS: ms(5_000),
  /** Crashes one job may survive before it is failed for good (and its event marked dead). */
  WORKER_MAX_STALLED_COUNT: z.coerce.number().int().min(0).default(3),
  /** On SIGTERM, how long running jobs may take before they are left to the stalled check. */
  SHUTDOWN_GRACE_MS: ms(30_000),
  /**
   * How long an event's handler may take, unless its source sets `handlerTimeoutMs` (a group's
   * claim and commit get its shortest). Past it the attempt fails and its group's connection is
   * closed: the group rolls back, and its other jobs run again without spending an attempt.
   */
  HANDLER_TIMEOUT_MS: ms(30_000),
  /** While Postgres is unreachable, how long a job is postponed (no attempt is spent). */
  OUTAGE_RETRY_MS: ms(5_000),
  /**
   * The hosts HTTP destinations may be on, comma-separated: `billing.internal`,
   * `*.internal.example`, `10.1.2.3`, `10.0.0.0/8`. Empty (the default) allows none.
   */
  DESTINATION_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text, context) => {
      const patterns = text
        .split(',')
        .map((pattern) => pattern.trim())
        .filter((pattern) => pattern !== '');
      try {
        return parseHostAllowList(patterns);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
  /** Deliveries to HTTP destinations one process sends at once; each holds a connection while it records. */
  DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(500).default(10),
  /**
   * Of `DELIVERY_CONCURRENCY`, how many deliveries to one destination may be in flight at once
   * (the rest wait about a second, no attempt spent), so a slow destination never holds every
   * slot. Unset: half of `DELIVERY_CONCURRENCY`, at least 1.
   */
  DELIVERY_CONCURRENCY_PER_DESTINATION: z.coerce.number().int().min(1).max(500).optional(),
  /** Consecutive failed requests to one destination that open its circuit breaker. */
  DELIVERY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  /** How long an open breaker sends nothing to its destination before one probe may go. */
  DELIVERY_BREAKER_COOLDOWN_MS: ms(30_000),
  /** How often the relay looks for committed rows that may have no job. */
  RELAY_INTERVAL_MS: ms(5_000),
  /** How old an unfinished row must be before the relay (re)queues it. */
  RELAY_ORPHAN_AGE_MS: ms(30_000),
};

export type WorkerEnv = z.infer<z.ZodObject<typeof workerEnv>>;

/** Where a sources file's `env:VAR` secrets are looked up unless a program gives its own. */
export const processSecrets = (): Readonly<Record<string, string | undefined>> => process.env;

export function readWorkerEnv(env = process.env): WorkerEnv {
  const settings = parseEnv(workerEnv, withOwnAdminPort(env, 'WORKER'));
  checkRetention(settings);
  return settings;
}

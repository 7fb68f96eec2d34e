/** One way a job attempt can end. */
export interface JobOutcomeEntry {
  /** What happened to the event's row. */
  readonly meaning: string;
  /** The worker's log line for it. */
  readonly message: string;
  /** Whether it is a sample of `webhook_jobs_total`: a postponed job has not been attempted. */
  readonly counted: boolean;
}

/**
 * Every outcome of a job, keyed by the word the worker returns to BullMQ, logs, and gives the
 * `outcome` label of `webhook_jobs_total`, so an alert rule can name only these.
 */
export const JOB_OUTCOMES = {
  processed: {
    meaning: "the handler ran and its writes committed with the row's mark",
    message: 'job',
    counted: true,
  },
  ignored: {
    meaning: 'no handler for its type: the row is marked ignored',
    message: 'job',
    counted: true,
  },
  stale: {
    meaning:
      'older than the last event applied for its ordering key: marked stale, the handler did not run',
    message: 'job',
    counted: true,
  },
  already_done: {
    meaning: 'the row was already processed, ignored or stale: nothing ran',
    message: 'job',
    counted: true,
  },
  missing: {
    meaning: 'the row no longer exists',
    message: 'job for a row that no longer exists',
    counted: true,
  },
  failed: {
    meaning: 'the attempt threw or timed out; a retry follows after a backoff',
    message: 'job',
    counted: true,
  },
  dead: {
    meaning: 'the last attempt failed, or one no retry can fix: the row is dead',
    message: 'job',
    counted: true,
  },
  postponed: {
    meaning: 'Postgres was unreachable: the job waits without spending an attempt',
    message: 'job',
    counted: false,
  },
  waiting: {
    meaning:
      'an earlier event of its ordering key is unfinished or running: the job waits its turn without spending an attempt',
    message: 'job waits for its ordering key',
    counted: false,
  },
} as const satisfies Record<string, JobOutcomeEntry>;

export type JobOutcome = keyof typeof JOB_OUTCOMES;

/** The outcomes `webhook_jobs_total` counts. */
export type CountedJobOutcome = {
  [K in JobOutcome]: (typeof JOB_OUTCOMES)[K]['counted'] extends true ? K : never;
}[JobOutcome];

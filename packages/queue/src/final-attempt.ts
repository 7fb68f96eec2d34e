import { UnrecoverableError } from 'bullmq';

/** What of a job decides whether it is retried. */
export interface AttemptsOf {
  readonly attemptsMade: number;
  readonly opts: { readonly attempts?: number };
}

/**
 * Whether the attempt that failed with `error` is the job's last, decided as BullMQ's
 * Job.shouldRetryJob decides it: no attempt left, or a failure no retry can fix. `attemptsMade`
 * counts the attempts before this one, as it does while the processor runs.
 */
export function isFinalAttempt(job: AttemptsOf, error: unknown): boolean {
  // By name too, as BullMQ does: a second copy of bullmq has a class of its own.
  const unrecoverable =
    error instanceof UnrecoverableError ||
    (error instanceof Error && error.name === 'UnrecoverableError');
  return unrecoverable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}

/**
 * isFinalAttempt, asked in a Worker's 'failed' listener: by then BullMQ has counted the attempt
 * that failed.
 */
export function failedForGood(job: AttemptsOf, error: unknown): boolean {
  return isFinalAttempt({ attemptsMade: job.attemptsMade - 1, opts: job.opts }, error);
}

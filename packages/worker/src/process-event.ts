import { postgresAnswers } from '@webhook-inbox/db';
import { recordFailure, type SubscriberFailure } from '@webhook-inbox/inbox';
import { JOB_OUTCOMES, type JobOutcome, type JobReport } from '@webhook-inbox/metrics';
import { isFinalAttempt, type WebhookJobData } from '@webhook-inbox/queue';
import { DelayedError, type Job } from 'bullmq';
import { GroupCollector, type GroupSettings } from './group-commit.ts';
import {
  type GroupDeps,
  type GroupEntry,
  type GroupResult,
  HandlerTimeoutError,
  processGroup,
} from './group-transaction.ts';
import { type OrderWait, waitForTurn } from './order-wait.ts';
import { WORKER_NAME } from './worker-name.ts';

/** How an attempt that did not throw ended: what the job returns to BullMQ. */
export type ProcessOutcome = Extract<
  JobOutcome,
  'processed' | 'ignored' | 'stale' | 'already_done' | 'missing'
>;

export interface ProcessorDeps extends GroupDeps {
  /** How long a job waits when it failed because Postgres was unreachable. */
  readonly outageRetryMs: number;
  /** Told when Postgres is unreachable, so the worker can stop taking jobs. */
  readonly onOutage: () => void;
  /** How long the handler of an event of `source` may take (and its group's claim and commit). */
  readonly handlerTimeoutMs: (source: string) => number;
  /** Told once per attempt whose outcome is known (the metrics); not for postponed jobs. */
  readonly onJobEnd?: (report: JobReport) => void;
  /** How jobs that are ready together share a transaction. */
  readonly group: GroupSettings;
  /** How long a job whose ordering key is not its turn waits before it looks again. */
  readonly orderWait?: OrderWait;
  /** Told as a group's jobs are about to end, so their completions can leave together. */
  readonly beforeJobsEnd?: () => void;
}

/**
 * Times one attempt may be undone with its group through no fault of its own (a deadlock with
 * another group, another handler's timeout) before it fails like any error.
 */
const MAX_GROUPS_PER_ATTEMPT = 3;

type Collector = GroupCollector<GroupEntry, GroupResult>;

/** What an attempt failed with, and which of its event's subscribers failed, for the ledger. */
class AttemptFailed {
  constructor(
    readonly error: unknown,
    readonly failures: readonly SubscriberFailure[],
  ) {}
}

/** The attempt's outcome, or what it failed with, after as many groups as it takes. */
async function inGroups(collector: Collector, entry: GroupEntry) {
  for (let round = 1; ; round += 1) {
    const result = await collector.run(entry).catch((error: unknown) => {
      throw new AttemptFailed(error, []);
    });
    if (result.kind === 'ended' || result.kind === 'waiting') return result;
    if (result.kind === 'failed') throw new AttemptFailed(result.error, result.failures ?? []);
    if (round >= MAX_GROUPS_PER_ATTEMPT) throw new AttemptFailed(result.reason, []);
  }
}

export function createProcessor(deps: ProcessorDeps) {
  const { log } = deps;
  const collector: Collector = new GroupCollector(
    deps.group,
    (entries) => processGroup(deps, entries).finally(deps.beforeJobsEnd),
    (entry) => entry.rowId,
  );
  return async function processEvent(
    job: Job<WebhookJobData>,
    token?: string,
  ): Promise<ProcessOutcome> {
    const { rowId, source } = job.data;
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      const result = await inGroups(collector, {
        rowId,
        jobId: job.id,
        timeoutMs: deps.handlerTimeoutMs(source),
        startedAt,
        started,
      });
      if (result.kind === 'waiting') {
        await waitForTurn(deps, job, token, result.event, result.waitsFor);
        throw new DelayedError();
      }
      const { outcome, event } = result;
      const fields = { jobId: job.id, rowId, source, eventId: event?.eventId, outcome };
      deps.onJobEnd?.({ source, type: event?.eventType, outcome, seconds: elapsed() / 1000 });
      // A line per job is debug: at thousands of jobs a second it costs more than the metrics
      // that count them.
      if (outcome === 'missing') log.warn(fields, JOB_OUTCOMES.missing.message);
      else if (log.isLevelEnabled('debug')) {
        const details = { ...fields, eventType: event?.eventType, durationMs: elapsed() };
        log.debug(details, JOB_OUTCOMES[outcome].message);
      }
      return outcome;
    } catch (failure) {
      if (failure instanceof DelayedError) throw failure;
      const { error, failures } =
        failure instanceof AttemptFailed ? failure : new AttemptFailed(failure, []);
      const subscribers = failures.length > 0 ? failures.map((f) => f.subscriber) : undefined;
      const fields = { jobId: job.id, rowId, source, subscribers, err: error };
      if (!(error instanceof HandlerTimeoutError) && !(await postgresAnswers(deps.db.pool))) {
        // Not the event's fault: postpone without spending an attempt.
        deps.onOutage();
        await job.moveToDelayed(Date.now() + deps.outageRetryMs, token);
        const outcome: JobOutcome = 'postponed';
        log.warn({ ...fields, outcome }, JOB_OUTCOMES[outcome].message);
        throw new DelayedError();
      }
      const final = isFinalAttempt(job, error);
      const record = { worker: WORKER_NAME, startedAt, durationMs: performance.now() - started };
      await recordFailure(deps.db, rowId, error, final, record, failures).catch(
        (recordError: unknown) =>
          log.error({ ...fields, err: recordError }, 'could not record the failed attempt'),
      );
      const outcome: JobOutcome = final ? 'dead' : 'failed';
      deps.onJobEnd?.({ source, type: undefined, outcome, seconds: elapsed() / 1000 });
      log.warn({ ...fields, outcome, durationMs: elapsed() }, JOB_OUTCOMES[outcome].message);
      throw error;
    }
  };
}

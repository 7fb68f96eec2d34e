import {
  type Database,
  destroyClient,
  postgresAnswers,
  type Transaction,
  transactionOn,
} from '@webhook-inbox/db';
import {
  beginClaim,
  type ClaimedEvent,
  markHandledAndCommit,
  recordFailure,
  rollback,
} from '@webhook-inbox/inbox';
import { JOB_OUTCOMES, type JobOutcome, type JobReport } from '@webhook-inbox/metrics';
import { isFinalAttempt, type WebhookJobData } from '@webhook-inbox/queue';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import type { HandlerContext, HandlerRegistry, WebhookEvent } from './registry.ts';
import { WORKER_NAME } from './worker-name.ts';

/** How an attempt that did not throw ended: what the job returns to BullMQ. */
export type ProcessOutcome = Extract<
  JobOutcome,
  'processed' | 'ignored' | 'already_done' | 'missing'
>;

export interface ProcessorDeps {
  readonly db: Database;
  /** The pool behind `db`: each attempt takes its own connection from it. */
  readonly pool: pg.Pool;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /** How long a job waits when it failed because Postgres was unreachable. */
  readonly outageRetryMs: number;
  /** Told when Postgres is unreachable, so the worker can stop taking jobs. */
  readonly onOutage: () => void;
  /** How long one attempt at an event of `source` may take, handler included. */
  readonly handlerTimeoutMs: (source: string) => number;
  /** Told once per attempt whose outcome is known (the metrics); not for postponed jobs. */
  readonly onJobEnd?: (report: JobReport) => void;
}

/** An attempt that outlived its deadline: it fails like a thrown error and is retried. */
export class HandlerTimeoutError extends Error {
  override name = 'HandlerTimeoutError';
}

function toEvent(event: ClaimedEvent): WebhookEvent {
  return {
    id: event.id,
    source: event.source,
    eventId: event.eventId,
    type: event.eventType,
    payload: event.payload,
    // Only finished events are pruned, and those never reach a handler.
    headers: event.headers ?? {},
    receivedAt: event.receivedAt,
    attempt: event.attempts + 1,
  };
}

interface Attempt {
  readonly outcome: ProcessOutcome;
  readonly event?: ClaimedEvent;
}

/**
 * The exactly-once step: the row lock serialises every job of one event, a finished row ends
 * the job at once, and the handler's writes commit in the same transaction as the mark.
 */
async function processInTransaction(
  client: pg.PoolClient,
  tx: Transaction,
  rowId: number,
  jobId: string | undefined,
  { handlers, log }: ProcessorDeps,
  startedAt: Date,
  started: number,
): Promise<Attempt> {
  const claim = await beginClaim(client, rowId);
  if (claim.kind === 'missing') {
    await rollback(client);
    return { outcome: 'missing' };
  }
  const { event } = claim;
  if (claim.kind === 'finished') {
    await rollback(client);
    return { outcome: 'already_done', event };
  }
  if (claim.kind === 'unreadable') {
    await rollback(client);
    // Every retry would read the same row: fail it for good, with the reason as its last error.
    throw new UnrecoverableError(claim.error.message);
  }
  const handler = handlers.find(event.source, event.eventType);
  if (handler) {
    let handlerLog: Logger | undefined;
    const context: HandlerContext = {
      tx,
      // A child logger per job costs more than most handlers: made only if the handler logs.
      get log() {
        handlerLog ??= log.child({ jobId, rowId, source: event.source, eventId: event.eventId });
        return handlerLog;
      },
    };
    await handler(toEvent(event), context);
  }
  const status = handler ? 'processed' : 'ignored';
  await markHandledAndCommit(client, rowId, status, {
    worker: WORKER_NAME,
    startedAt,
    durationMs: performance.now() - started,
  });
  return { outcome: status, event };
}

/**
 * One attempt on a connection of its own, bounded by `timeoutMs`. Past the deadline the
 * handler's `tx` stops working and the connection is destroyed, not returned to the pool:
 * Postgres rolls the transaction back and drops the row lock as the session ends.
 */
async function attempt(
  deps: ProcessorDeps,
  rowId: number,
  jobId: string | undefined,
  timeoutMs: number,
  startedAt: Date,
  started: number,
): Promise<Attempt> {
  const client = await deps.pool.connect();
  const { tx, revoke } = transactionOn(deps.db, client);
  const work = processInTransaction(client, tx, rowId, jobId, deps, startedAt, started);
  let result: Attempt | typeof TIMED_OUT;
  try {
    result = await within(work, timeoutMs);
  } catch (error) {
    await rollback(client).then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  } finally {
    revoke();
  }
  if (result === TIMED_OUT) {
    // The handler may still be running: with its connection gone, whatever it does next fails.
    const error = new HandlerTimeoutError(`the attempt did not finish within ${timeoutMs} ms`);
    destroyClient(client, error);
    throw error;
  }
  client.release();
  return result;
}

export function createProcessor(deps: ProcessorDeps) {
  const { log } = deps;
  return async function processEvent(
    job: Job<WebhookJobData>,
    token?: string,
  ): Promise<ProcessOutcome> {
    const { rowId, source } = job.data;
    const startedAt = new Date();
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 100) / 100;
    try {
      const { outcome, event } = await attempt(
        deps,
        rowId,
        job.id,
        deps.handlerTimeoutMs(source),
        startedAt,
        started,
      );
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
    } catch (error) {
      const fields = { jobId: job.id, rowId, source, err: error };
      if (!(error instanceof HandlerTimeoutError) && !(await postgresAnswers(deps.pool))) {
        // Not the event's fault: postpone without spending an attempt.
        deps.onOutage();
        await job.moveToDelayed(Date.now() + deps.outageRetryMs, token);
        const outcome: JobOutcome = 'postponed';
        log.warn({ ...fields, outcome }, JOB_OUTCOMES[outcome].message);
        throw new DelayedError();
      }
      const final = isFinalAttempt(job, error);
      const record = { worker: WORKER_NAME, startedAt, durationMs: performance.now() - started };
      await recordFailure(deps.db, rowId, error, final, record).catch((recordError: unknown) =>
        log.error({ ...fields, err: recordError }, 'could not record the failed attempt'),
      );
      const outcome: JobOutcome = final ? 'dead' : 'failed';
      deps.onJobEnd?.({ source, type: undefined, outcome, seconds: elapsed() / 1000 });
      log.warn({ ...fields, outcome, durationMs: elapsed() }, JOB_OUTCOMES[outcome].message);
      throw error;
    }
  };
}

import {
  type Database,
  destroyClient,
  postgresAnswers,
  type Transaction,
  transactionOn,
} from '@webhook-inbox/db';
import {
  beginClaims,
  type ClaimedEvent,
  type HandledRow,
  isTransactionConflict,
  markHandledAndCommit,
  recordFailure,
  rollback,
  rollbackToSavepoint,
  savepoint,
} from '@webhook-inbox/inbox';
import { JOB_OUTCOMES, type JobOutcome, type JobReport } from '@webhook-inbox/metrics';
import { isFinalAttempt, type WebhookJobData } from '@webhook-inbox/queue';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { DelayedError, type Job, UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import { GroupCollector, type GroupSettings } from './group-commit.ts';
import type { HandlerContext, HandlerRegistry, WebhookEvent } from './registry.ts';
import { WORKER_NAME } from './worker-name.ts';

/** How an attempt that did not throw ended: what the job returns to BullMQ. */
export type ProcessOutcome = Extract<
  JobOutcome,
  'processed' | 'ignored' | 'already_done' | 'missing'
>;

export interface ProcessorDeps {
  readonly db: Database;
  /** The pool behind `db`: each group of jobs takes its own connection from it. */
  readonly pool: pg.Pool;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
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

/** One job's part in a group. */
interface Entry {
  readonly rowId: number;
  readonly jobId: string | undefined;
  readonly timeoutMs: number;
  readonly startedAt: Date;
  readonly started: number;
}

/** How a job's part in its group ended. */
type GroupResult =
  | { readonly kind: 'ended'; readonly outcome: ProcessOutcome; readonly event?: ClaimedEvent }
  | { readonly kind: 'failed'; readonly error: unknown }
  /** Undone with its group through no fault of its own: the job runs again in a later group. */
  | { readonly kind: 'again'; readonly reason: Error };

/** How one handler's turn in its group's transaction ended. */
type HandlerRun =
  | { readonly kind: 'handled'; readonly status: 'processed' | 'ignored' }
  /** Rolled back to its savepoint: only this job fails, the group goes on. */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** Rolled back to its savepoint after a deadlock with another group: it runs again later. */
  | { readonly kind: 'conflict'; readonly error: Error }
  /** The group's connection cannot be trusted any more: it must be given up. */
  | { readonly kind: 'timedOut' | 'broken'; readonly error: unknown };

const failed = (error: unknown): GroupResult => ({ kind: 'failed', error });

function timeoutError(timeoutMs: number) {
  return new HandlerTimeoutError(`the attempt did not finish within ${timeoutMs} ms`);
}

function contextFor(tx: Transaction, log: Logger, entry: Entry, event: ClaimedEvent) {
  let handlerLog: Logger | undefined;
  const context: HandlerContext = {
    tx,
    // A child logger per job costs more than most handlers: made only if the handler logs.
    get log() {
      handlerLog ??= log.child({
        jobId: entry.jobId,
        rowId: entry.rowId,
        source: event.source,
        eventId: event.eventId,
      });
      return handlerLog;
    },
  };
  return context;
}

/**
 * One handler inside its own savepoint, bounded by its own deadline. Its `tx` works only until
 * the handler settles, so a handler that leaves something running cannot write into the next
 * one's savepoint. A handler that returns after catching a database error of its own has left
 * the transaction aborted: that is its failure, not the group's.
 */
async function runHandler(
  client: pg.PoolClient,
  { db, handlers, log }: ProcessorDeps,
  entry: Entry,
  event: ClaimedEvent,
  index: number,
): Promise<HandlerRun> {
  const handler = handlers.find(event.source, event.eventType);
  if (!handler) return { kind: 'handled', status: 'ignored' };
  const { tx, revoke } = transactionOn(db, client);
  // Not awaited first: on a pipelining client it leaves with the handler's first statement.
  const saved = savepoint(client, index);
  const ran = Promise.resolve().then(() =>
    handler(toEvent(event), contextFor(tx, log, entry, event)),
  );
  const settled = await within(Promise.allSettled([saved, ran]), entry.timeoutMs).finally(revoke);
  if (settled === TIMED_OUT) return { kind: 'timedOut', error: timeoutError(entry.timeoutMs) };
  const [savedResult, ranResult] = settled;
  if (savedResult.status === 'rejected') return { kind: 'broken', error: savedResult.reason };
  const aborted = client.getTransactionStatus() === 'E';
  if (ranResult.status === 'fulfilled' && !aborted) return { kind: 'handled', status: 'processed' };
  const error =
    ranResult.status === 'rejected'
      ? ranResult.reason
      : new Error('the handler caught a database error and went on: its transaction was aborted');
  // Bounded too: after the handler, a statement it did not wait for may still hold the connection.
  const undone = await within(rollbackToSavepoint(client, index), entry.timeoutMs).catch(
    (rollbackError: unknown) => ({ rollbackError }),
  );
  if (undone === TIMED_OUT) return { kind: 'timedOut', error: timeoutError(entry.timeoutMs) };
  if (undone) return { kind: 'broken', error: undone.rollbackError };
  if (isTransactionConflict(error)) return { kind: 'conflict', error: error as Error };
  return { kind: 'failed', error };
}

type Bounded<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; error: unknown };

/**
 * A statement of the group's own (the claim, the commit), bounded by the group's shortest
 * deadline. On failure the client is given up, rolling the group's transaction back.
 */
async function bounded<T>(
  client: pg.PoolClient,
  work: Promise<T>,
  ms: number,
): Promise<Bounded<T>> {
  try {
    const result = await within(work, ms);
    if (result !== TIMED_OUT) return { ok: true, value: result };
    const error = timeoutError(ms);
    destroyClient(client, error);
    return { ok: false, error };
  } catch (error) {
    await rollback(client).then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    return { ok: false, error };
  }
}

/**
 * The exactly-once step for a group of jobs, in one transaction on a connection of its own:
 * the claim locks every row (a job of the same event elsewhere queues behind it), a finished
 * row ends its job at once, each handler's writes commit with its row's mark, and nothing
 * commits unless everything does.
 *
 * A handler past its deadline gives the group up: its statement may still be running on the
 * shared connection, so no later statement (a rollback to its savepoint included) could be
 * trusted to run in time. The connection is destroyed, Postgres rolls the whole group back and
 * frees its locks; the late handler's job fails (spending an attempt, as a timeout always has),
 * and every other job of the group whose outcome was not yet known runs again in a later group
 * without spending one, since nothing of its own went wrong.
 */
async function processGroup(deps: ProcessorDeps, entries: readonly Entry[]) {
  const client = await deps.pool.connect();
  const limitMs = Math.min(...entries.map((entry) => entry.timeoutMs));
  const claims = await bounded(
    client,
    beginClaims(
      client,
      entries.map((entry) => entry.rowId),
    ),
    limitMs,
  );
  if (!claims.ok) return entries.map(() => failed(claims.error));
  const results: (GroupResult | undefined)[] = [];
  const handled: { index: number; row: HandledRow; event: ClaimedEvent }[] = [];
  for (const [index, entry] of entries.entries()) {
    const claim = claims.value.get(entry.rowId) ?? { kind: 'missing' };
    if (claim.kind === 'missing') results[index] = { kind: 'ended', outcome: 'missing' };
    else if (claim.kind === 'finished')
      results[index] = { kind: 'ended', outcome: 'already_done', event: claim.event };
    // Every retry would read the same row: fail it for good, with the reason as its last error.
    else if (claim.kind === 'unreadable')
      results[index] = failed(new UnrecoverableError(claim.error.message));
    else {
      const run = await runHandler(client, deps, entry, claim.event, index);
      if (run.kind === 'handled') {
        const attempt = {
          worker: WORKER_NAME,
          startedAt: entry.startedAt,
          durationMs: performance.now() - entry.started,
        };
        handled.push({
          index,
          event: claim.event,
          row: { rowId: entry.rowId, status: run.status, attempt },
        });
      } else if (run.kind === 'failed') results[index] = failed(run.error);
      else if (run.kind === 'conflict') results[index] = { kind: 'again', reason: run.error };
      else {
        destroyClient(client, run.error as Error);
        results[index] = failed(run.error);
        const undone: GroupResult =
          run.kind === 'timedOut'
            ? {
                kind: 'again',
                reason: new Error('another handler of its group outlived its deadline'),
              }
            : failed(run.error);
        return entries.map((_, i) => results[i] ?? undone);
      }
    }
  }
  const committed = await bounded(
    client,
    markHandledAndCommit(
      client,
      handled.map(({ row }) => row),
    ),
    limitMs,
  );
  if (committed.ok) client.release();
  for (const { index, row, event } of handled) {
    results[index] = committed.ok
      ? { kind: 'ended', outcome: row.status, event }
      : failed(committed.error);
  }
  // Every entry has its result by now: ended or failed at its claim, or handled just above.
  return entries.map((_, i) => results[i] as GroupResult);
}

/**
 * Times one attempt may be undone with its group through no fault of its own (a deadlock with
 * another group, another handler's timeout) before it fails like any error.
 */
const MAX_GROUPS_PER_ATTEMPT = 3;

type Collector = GroupCollector<Entry, GroupResult>;

/** The attempt's outcome, or what it failed with, after as many groups as it takes. */
async function inGroups(collector: Collector, entry: Entry) {
  for (let round = 1; ; round += 1) {
    const result = await collector.run(entry);
    if (result.kind === 'ended') return result;
    if (result.kind === 'failed') throw result.error;
    if (round >= MAX_GROUPS_PER_ATTEMPT) throw result.reason;
  }
}

export function createProcessor(deps: ProcessorDeps) {
  const { log } = deps;
  const collector: Collector = new GroupCollector(
    deps.group,
    (entries) => processGroup(deps, entries),
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
      const { outcome, event } = await inGroups(collector, {
        rowId,
        jobId: job.id,
        timeoutMs: deps.handlerTimeoutMs(source),
        startedAt,
        started,
      });
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

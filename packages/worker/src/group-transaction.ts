import { type Database, destroyClient, type Transaction, transactionOn } from '@webhook-inbox/db';
import {
  beginClaims,
  type ClaimedEvent,
  type HandledRow,
  isTransactionConflict,
  markHandledAndCommit,
  type OrderingKey,
  rollback,
  rollbackToSavepoint,
  savepoint,
} from '@webhook-inbox/inbox';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import { endedEvents, releaseKeys, staleRow } from './ordered-claims.ts';
import type { ProcessOutcome } from './process-event.ts';
import type { HandlerContext, HandlerRegistry, WebhookEvent } from './registry.ts';
import { WORKER_NAME } from './worker-name.ts';

export interface GroupDeps {
  readonly db: Database;
  /** The pool behind `db`: each group of jobs takes its own connection from it. */
  readonly pool: pg.Pool;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /**
   * Told after a commit which ordering keys' events just finished, so the next event of each
   * can be started at once rather than at its next look.
   */
  readonly onKeysReleased?: (keys: readonly OrderingKey[]) => void;
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
    ...(event.ordering && { ordering: event.ordering }),
  };
}

/** One job's part in a group. */
export interface GroupEntry {
  readonly rowId: number;
  readonly jobId: string | undefined;
  readonly timeoutMs: number;
  readonly startedAt: Date;
  readonly started: number;
}

/** How a job's part in its group ended. */
export type GroupResult =
  | { readonly kind: 'ended'; readonly outcome: ProcessOutcome; readonly event?: ClaimedEvent }
  | { readonly kind: 'failed'; readonly error: unknown }
  /** Undone with its group through no fault of its own: the job runs again in a later group. */
  | { readonly kind: 'again'; readonly reason: Error }
  /** Its ordering key is not its turn yet (see `Claim`): the job waits without an attempt. */
  | { readonly kind: 'waiting'; readonly waitsFor: number | null; readonly event: ClaimedEvent };

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

function contextFor(tx: Transaction, log: Logger, entry: GroupEntry, event: ClaimedEvent) {
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
  { db, handlers, log }: GroupDeps,
  entry: GroupEntry,
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
export async function processGroup(deps: GroupDeps, entries: readonly GroupEntry[]) {
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
    else if (claim.kind === 'waiting')
      results[index] = { kind: 'waiting', waitsFor: claim.waitsFor, event: claim.event };
    else if (claim.kind === 'stale') handled.push(staleRow(index, entry, claim.event));
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
  if (committed.ok)
    releaseKeys(deps, [...handled.map(({ event }) => event), ...endedEvents(results)]);
  for (const { index, row, event } of handled) {
    results[index] = committed.ok
      ? { kind: 'ended', outcome: row.status, event }
      : failed(committed.error);
  }
  // Every entry has its result by now: ended or failed at its claim, or handled just above.
  return entries.map((_, i) => results[i] as GroupResult);
}

import { type Database, destroyClient } from '@webhook-inbox/db';
import {
  beginClaims,
  type ClaimedEvent,
  describeError,
  type HandledRow,
  markHandledAndCommit,
  type OrderingKey,
  rollback,
  type SubscriberFailure,
  type SubscriberKey,
  type SubscriberLedger,
} from '@webhook-inbox/inbox';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import { UnrecoverableError } from 'bullmq';
import type pg from 'pg';
import type { Logger } from 'pino';
import { type FanOutResult, fanOut, settle } from './fan-out.ts';
import { type HandlerRun, type RunEntry, runHandler, timeoutError } from './handler-run.ts';
import { endedEvents, releaseKeys, staleRow } from './ordered-claims.ts';
import type { ProcessOutcome } from './process-event.ts';
import { type HandlerRegistry, selects } from './registry.ts';
import { WORKER_NAME } from './worker-name.ts';

export { HandlerTimeoutError } from './handler-run.ts';

export interface GroupDeps {
  /** Each group of jobs takes its own connection from the handle's pool. */
  readonly db: Database;
  readonly handlers: HandlerRegistry;
  readonly log: Logger;
  /**
   * Told after a commit which ordering keys' events just finished, so the next event of each
   * can be started at once rather than at its next look.
   */
  readonly onKeysReleased?: (keys: readonly OrderingKey[]) => void;
}

/** One job's part in a group. */
export interface GroupEntry extends RunEntry {
  readonly startedAt: Date;
  readonly started: number;
}

/** How a job's part in its group ended. */
export type GroupResult =
  | { readonly kind: 'ended'; readonly outcome: ProcessOutcome; readonly event?: ClaimedEvent }
  /** `failures`: the subscribers that failed, each with its error, for the ledger. */
  | {
      readonly kind: 'failed';
      readonly error: unknown;
      readonly failures?: readonly SubscriberFailure[];
    }
  /** Undone with its group through no fault of its own: the job runs again in a later group. */
  | { readonly kind: 'again'; readonly reason: Error }
  /** Its ordering key is not its turn yet (see `Claim`): the job waits without an attempt. */
  | { readonly kind: 'waiting'; readonly waitsFor: number | null; readonly event: ClaimedEvent };

const failed = (error: unknown): GroupResult => ({ kind: 'failed', error });

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

/** An event whose subscribers all ran, or whose run gave its group up. */
type EventRun =
  | { readonly kind: 'settled'; readonly result: FanOutResult }
  | {
      readonly kind: 'givenUp';
      readonly run: Extract<HandlerRun, { kind: 'timedOut' | 'broken' }>;
      readonly subscriber: string;
    };

/**
 * Runs each of the event's subscribers still to run, a savepoint each (numbered on from
 * `savepoints.next`, unique in the group), and stops at a run that gives the group up.
 */
async function runSubscribers(
  client: pg.PoolClient,
  deps: GroupDeps,
  entry: GroupEntry,
  event: ClaimedEvent,
  ledger: SubscriberLedger,
  savepoints: { next: number },
): Promise<EventRun> {
  const subscribers = deps.handlers
    .subscribersFor(event.source, event.eventType)
    .filter((subscriber) => selects(subscriber, event.payload));
  const plan = fanOut(subscribers, ledger);
  const runs: { name: string; run: HandlerRun }[] = [];
  for (const subscriber of plan.toRun) {
    const run = await runHandler(client, deps, entry, event, subscriber, savepoints.next++);
    if (run.kind === 'timedOut' || run.kind === 'broken') {
      return { kind: 'givenUp', run, subscriber: subscriber.name };
    }
    runs.push({ name: subscriber.name, run });
  }
  return { kind: 'settled', result: settle(plan, runs) };
}

function handledRow(entry: GroupEntry, result: Extract<FanOutResult, { kind: 'handled' }>) {
  const attempt = {
    worker: WORKER_NAME,
    startedAt: entry.startedAt,
    durationMs: performance.now() - entry.started,
  };
  const row: HandledRow =
    result.status === 'dead'
      ? { rowId: entry.rowId, attempt, status: 'dead', error: result.error }
      : { rowId: entry.rowId, attempt, status: result.status };
  return row;
}

/**
 * An event left dead by a subscriber that died before: this attempt's handlers all committed,
 * so the job is processed, as its log line and metric say.
 */
const outcomeOf = (status: HandledRow['status']): ProcessOutcome =>
  status === 'dead' ? 'processed' : status;

/**
 * The exactly-once step for a group of jobs, in one transaction on a connection of its own:
 * the claim locks every row (a job of the same event elsewhere queues behind it) and reads its
 * subscribers' ledger, a finished row ends its job at once, each subscriber still to run runs
 * in a savepoint of its own, each subscriber's writes commit with its ledger row (and with the
 * event's mark once all are done), and nothing commits unless everything does.
 *
 * A handler past its deadline gives the group up: its statement may still be running on the
 * shared connection, so no later statement (a rollback to its savepoint included) could be
 * trusted to run in time. The connection is destroyed, Postgres rolls the whole group back and
 * frees its locks; the late handler's job fails (spending an attempt, as a timeout always has),
 * and every other job of the group whose outcome was not yet known runs again in a later group
 * without spending one, since nothing of its own went wrong.
 */
export async function processGroup(deps: GroupDeps, entries: readonly GroupEntry[]) {
  const client = await deps.db.pool.connect();
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
  const done: SubscriberKey[] = [];
  const savepoints = { next: 0 };
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
      const ran = await runSubscribers(client, deps, entry, claim.event, claim.ledger, savepoints);
      if (ran.kind === 'givenUp') {
        const { run, subscriber } = ran;
        destroyClient(client, run.error as Error);
        const failures = [{ subscriber, error: describeError(run.error) }];
        results[index] = { kind: 'failed', error: run.error, failures };
        const undone: GroupResult =
          run.kind === 'timedOut'
            ? {
                kind: 'again',
                reason: new Error('another handler of its group outlived its deadline'),
              }
            : failed(run.error);
        return entries.map((_, i) => results[i] ?? undone);
      }
      const { result } = ran;
      done.push(...result.done.map((subscriber) => ({ rowId: entry.rowId, subscriber })));
      if (result.kind === 'handled') {
        handled.push({ index, event: claim.event, row: handledRow(entry, result) });
      } else if (result.kind === 'failed') {
        results[index] = { kind: 'failed', error: result.error, failures: result.failures };
      } else results[index] = { kind: 'again', reason: result.reason };
    }
  }
  const committed = await bounded(
    client,
    markHandledAndCommit(
      client,
      handled.map(({ row }) => row),
      done,
    ),
    limitMs,
  );
  if (committed.ok) {
    client.release();
    releaseKeys(deps, [...handled.map(({ event }) => event), ...endedEvents(results)]);
  }
  // A failed commit took every subscriber's writes with it; those that failed keep their error.
  for (const { index, row, event } of handled) {
    results[index] = committed.ok
      ? { kind: 'ended', outcome: outcomeOf(row.status), event }
      : failed(committed.error);
  }
  // Every entry has its result by now: ended or failed at its claim, or handled just above.
  return entries.map((_, i) => results[i] as GroupResult);
}

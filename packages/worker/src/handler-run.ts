import { type Database, socketOf, type Transaction, transactionOn } from '@webhook-inbox/db';
import {
  type ClaimedEvent,
  isTransactionConflict,
  rollbackToSavepoint,
  savepoint,
} from '@webhook-inbox/inbox';
import { TIMED_OUT, within } from '@webhook-inbox/time-limit';
import type pg from 'pg';
import type { Logger } from 'pino';
import { holdWritesForThisTurn } from './held-writes.ts';
import type { HandlerContext, Subscriber, WebhookEvent } from './registry.ts';

/** An attempt that outlived its deadline: it fails like a thrown error and is retried. */
export class HandlerTimeoutError extends Error {
  override name = 'HandlerTimeoutError';
}

export function timeoutError(timeoutMs: number) {
  return new HandlerTimeoutError(`the attempt did not finish within ${timeoutMs} ms`);
}

/** What of a job a handler's run needs. */
export interface RunEntry {
  readonly rowId: number;
  readonly jobId: string | undefined;
  readonly timeoutMs: number;
}

/** How one subscriber's turn in its group's transaction ended. */
export type HandlerRun =
  | { readonly kind: 'handled' }
  /** Rolled back to its savepoint: only this subscriber fails, the group goes on. */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** Rolled back to its savepoint after a deadlock with another group: it runs again later. */
  | { readonly kind: 'conflict'; readonly error: Error }
  /** The group's connection cannot be trusted any more: it must be given up. */
  | { readonly kind: 'timedOut' | 'broken'; readonly error: unknown };

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

function contextFor(
  tx: Transaction,
  log: Logger,
  entry: RunEntry,
  event: ClaimedEvent,
  subscriber: string,
) {
  let handlerLog: Logger | undefined;
  const context: HandlerContext = {
    tx,
    subscriber,
    // A child logger per job costs more than most handlers: made only if the handler logs.
    get log() {
      handlerLog ??= log.child({
        jobId: entry.jobId,
        rowId: entry.rowId,
        source: event.source,
        eventId: event.eventId,
        subscriber,
      });
      return handlerLog;
    },
  };
  return context;
}

/**
 * One subscriber's handler inside its own savepoint (`index`, unique in its group), bounded by
 * its job's deadline. Its `tx` works only until the handler settles, so a handler that leaves
 * something running cannot write into the next one's savepoint. A handler that returns after
 * catching a database error of its own has left the transaction aborted: that is its failure,
 * not the group's.
 */
export async function runHandler(
  client: pg.PoolClient,
  { db, log }: { readonly db: Database; readonly log: Logger },
  entry: RunEntry,
  event: ClaimedEvent,
  { name, handler }: Subscriber,
  index: number,
): Promise<HandlerRun> {
  const { tx, revoke } = transactionOn(db, client);
  // Not awaited first, and held with what the group's other handlers send in this turn: each
  // savepoint leaves in one write with its handler's first statement and the others'.
  holdWritesForThisTurn(socketOf(client));
  const saved = savepoint(client, index);
  const ran = Promise.resolve().then(() =>
    handler(toEvent(event), contextFor(tx, log, entry, event, name)),
  );
  const settled = await within(Promise.allSettled([saved, ran]), entry.timeoutMs).finally(revoke);
  if (settled === TIMED_OUT) return { kind: 'timedOut', error: timeoutError(entry.timeoutMs) };
  const [savedResult, ranResult] = settled;
  if (savedResult.status === 'rejected') return { kind: 'broken', error: savedResult.reason };
  const aborted = client.getTransactionStatus() === 'E';
  if (ranResult.status === 'fulfilled' && !aborted) return { kind: 'handled' };
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

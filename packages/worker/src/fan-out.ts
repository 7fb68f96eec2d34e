import {
  describeError,
  SUBSCRIBER_RUNS,
  type SubscriberFailure,
  type SubscriberLedger,
} from '@webhook-inbox/inbox';
import { UnrecoverableError } from 'bullmq';
import type { HandlerRun } from './handler-run.ts';
import type { Subscriber } from './registry.ts';

/** Who runs at an event's attempt, as its ledger and the registry decide it together. */
export interface FanOut {
  /** Subscribers whose effects have not happened yet, nor been given up: they run now. */
  readonly toRun: readonly Subscriber[];
  /** Subscribers that died at an earlier attempt and were not replayed: skipped. */
  readonly dead: readonly string[];
  /** No subscriber at all: the event is ignored. */
  readonly none: boolean;
  /**
   * Whether a subscriber that succeeds gets a ledger row. Not for an event whose one subscriber
   * succeeds at once: the event's own mark, in the same commit, is its ledger, so the common
   * case costs no statement. Always once it has several, or any row already.
   */
  readonly ledgered: boolean;
}

export function fanOut(subscribers: readonly Subscriber[], ledger: SubscriberLedger): FanOut {
  const hasRows = Object.keys(ledger).length > 0;
  const runs = (name: string) => {
    const status = ledger[name];
    return status === undefined || SUBSCRIBER_RUNS.includes(status);
  };
  return {
    toRun: hasRows ? subscribers.filter(({ name }) => runs(name)) : subscribers,
    dead: hasRows
      ? subscribers.filter(({ name }) => ledger[name] === 'dead').map((s) => s.name)
      : [],
    none: subscribers.length === 0,
    ledgered: subscribers.length > 1 || hasRows,
  };
}

/** How an event's attempt ended once each of its subscribers to run has run. */
export type FanOutResult = { readonly done: readonly string[] } & (
  | { readonly kind: 'handled'; readonly status: 'processed' | 'ignored' }
  | { readonly kind: 'handled'; readonly status: 'dead'; readonly error: string }
  | {
      readonly kind: 'failed';
      readonly error: unknown;
      readonly failures: readonly SubscriberFailure[];
    }
  | { readonly kind: 'again'; readonly reason: Error }
);

const isUnrecoverable = (error: unknown) =>
  error instanceof UnrecoverableError ||
  (error instanceof Error && error.name === 'UnrecoverableError');

/**
 * What the job fails with when subscribers failed: the error itself when one did, so its kind
 * (a schema mismatch is dead at once) decides; for several, one naming each, which no retry
 * can fix only if none of theirs can be.
 */
function attemptError(failed: readonly { name: string; error: unknown }[]): unknown {
  const [only] = failed;
  if (only && failed.length === 1) return only.error;
  const message = failed
    .map(({ name, error }) => `subscriber "${name}": ${describeError(error)}`)
    .join('; ');
  return failed.every(({ error }) => isUnrecoverable(error))
    ? new UnrecoverableError(message)
    : new Error(message);
}

/**
 * The event's end from its subscribers' runs: the subscribers that succeeded are done whatever
 * the others did (their rows commit with their writes), any failure fails the attempt (one no
 * retry can fix gives its subscriber up at once, as the others retry), a deadlock alone runs it
 * again; otherwise it is processed, or dead while a subscriber that died before stays dead.
 */
export function settle(
  plan: FanOut,
  runs: readonly { readonly name: string; readonly run: HandlerRun }[],
): FanOutResult {
  const done = plan.ledgered
    ? runs.filter(({ run }) => run.kind === 'handled').map(({ name }) => name)
    : [];
  const failed = runs.flatMap(({ name, run }) =>
    run.kind === 'failed' ? [{ name, error: run.error }] : [],
  );
  if (failed.length > 0) {
    const failures = failed.map(({ name, error }) => ({
      subscriber: name,
      error: describeError(error),
      unrecoverable: isUnrecoverable(error),
    }));
    return { kind: 'failed', error: attemptError(failed), failures, done };
  }
  const conflict = runs.find(({ run }) => run.kind === 'conflict');
  if (conflict?.run.kind === 'conflict') return { kind: 'again', reason: conflict.run.error, done };
  if (plan.none) return { kind: 'handled', status: 'ignored', done };
  if (plan.dead.length > 0) {
    const names = plan.dead.map((name) => `"${name}"`).join(', ');
    const error = `subscriber ${names} died at an earlier attempt; replay it to run it again`;
    return { kind: 'handled', status: 'dead', error, done };
  }
  return { kind: 'handled', status: 'processed', done };
}

import type { EventStatus } from '@webhook-inbox/db';

export type { EventStatus };

/**
 * Every status an event may move to from each status, and nothing else. `received` → `received`
 * is not a move; replay is the only way back to `received`, and never from `processed`: its
 * effects happened once and must stay once.
 */
export const TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  received: ['processed', 'ignored', 'failed', 'dead', 'stale'],
  failed: ['processed', 'ignored', 'failed', 'dead', 'stale'],
  // Ignored too when an operator skips it, so the events after it in its ordering key can run.
  dead: ['received', 'ignored'],
  ignored: ['received'],
  // Never ran: replaying one runs it on purpose, over the newer state.
  stale: ['received'],
  processed: [],
};

export function canMove(from: EventStatus, to: EventStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whose status is `from` in a `WHERE`: the statuses that may move to `to`. */
export function statusesMovingTo(to: EventStatus): EventStatus[] {
  return (Object.keys(TRANSITIONS) as EventStatus[]).filter((from) => canMove(from, to));
}

/** Waiting for an attempt, or between attempts: the event may still lack a job. */
export const UNFINISHED = statusesMovingTo('processed');

/** The handler ran (or none exists): a job for such an event ends at once. */
export const FINISHED: readonly EventStatus[] = ['processed', 'ignored', 'stale'];

/**
 * An ordered event in one of these holds its key: every later event of the key waits until it
 * is processed, or replayed and processed, or skipped. A dead one too, until an operator acts.
 */
export const HOLDS_ITS_KEY: readonly EventStatus[] = [...statusesMovingTo('processed'), 'dead'];

/** What an operator may skip to let its key go on: whatever holds its key. */
export const SKIPPABLE = statusesMovingTo('ignored');

/**
 * Replay gives these a fresh start: attempts exhausted, no handler then (maybe one now), or
 * stale (run on purpose).
 */
export const REPLAYABLE = statusesMovingTo('received');

export function isUnfinished(status: EventStatus): boolean {
  return UNFINISHED.includes(status);
}

export function isFinished(status: EventStatus): boolean {
  return FINISHED.includes(status);
}

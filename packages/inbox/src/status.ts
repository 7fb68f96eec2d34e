import type { EventStatus } from '@webhook-inbox/db';

export type { EventStatus };

/**
 * Every status an event may move to from each status, and nothing else. `received` → `received`
 * is not a move; replay is the only way back to `received`, and never from `processed`: its
 * effects happened once and must stay once.
 */
export const TRANSITIONS: Readonly<Record<EventStatus, readonly EventStatus[]>> = {
  received: ['processed', 'ignored', 'failed', 'dead'],
  failed: ['processed', 'ignored', 'failed', 'dead'],
  dead: ['received'],
  ignored: ['received'],
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
export const FINISHED: readonly EventStatus[] = ['processed', 'ignored'];

/** Replay gives these a fresh start: attempts exhausted, or no handler then (maybe one now). */
export const REPLAYABLE = statusesMovingTo('received');

export function isUnfinished(status: EventStatus): boolean {
  return UNFINISHED.includes(status);
}

export function isFinished(status: EventStatus): boolean {
  return FINISHED.includes(status);
}

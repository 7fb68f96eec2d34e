import { describe, expect, it } from 'vitest';
import {
  canMove,
  FINISHED,
  HOLDS_ITS_KEY,
  isFinished,
  isUnfinished,
  REPLAYABLE,
  SKIPPABLE,
  statusesMovingTo,
  TRANSITIONS,
  UNFINISHED,
} from '../src/status.ts';

describe('event statuses', () => {
  it('never moves a processed event anywhere: its effects happened once', () => {
    expect(TRANSITIONS.processed).toEqual([]);
    expect(statusesMovingTo('received')).not.toContain('processed');
  });

  it('replays only dead, ignored and stale events', () => {
    expect([...REPLAYABLE].sort()).toEqual(['dead', 'ignored', 'stale']);
    expect(canMove('failed', 'received')).toBe(false);
  });

  it('lets only unfinished events be attempted', () => {
    expect([...UNFINISHED].sort()).toEqual(['failed', 'received']);
    expect(isUnfinished('dead')).toBe(false);
    for (const status of FINISHED) expect(isUnfinished(status)).toBe(false);
    expect(statusesMovingTo('dead').sort()).toEqual(['failed', 'received']);
  });

  it('lets a key be held by unfinished and dead events, and skipped past any of them', () => {
    // The same list as the predicate of webhook_events_ordering_waiting_idx.
    expect([...HOLDS_ITS_KEY].sort()).toEqual(['dead', 'failed', 'received']);
    expect([...SKIPPABLE].sort()).toEqual([...HOLDS_ITS_KEY].sort());
    expect(isFinished('stale')).toBe(true);
    expect(canMove('stale', 'processed')).toBe(false);
  });
});

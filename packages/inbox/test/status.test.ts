import { describe, expect, it } from 'vitest';
import {
  canMove,
  FINISHED,
  isUnfinished,
  REPLAYABLE,
  statusesMovingTo,
  TRANSITIONS,
  UNFINISHED,
} from '../src/status.ts';

describe('event statuses', () => {
  it('never moves a processed event anywhere: its effects happened once', () => {
    expect(TRANSITIONS.processed).toEqual([]);
    expect(statusesMovingTo('received')).not.toContain('processed');
  });

  it('replays only dead and ignored events', () => {
    expect([...REPLAYABLE].sort()).toEqual(['dead', 'ignored']);
    expect(canMove('failed', 'received')).toBe(false);
  });

  it('lets only unfinished events be attempted', () => {
    expect([...UNFINISHED].sort()).toEqual(['failed', 'received']);
    expect(isUnfinished('dead')).toBe(false);
    for (const status of FINISHED) expect(isUnfinished(status)).toBe(false);
    expect(statusesMovingTo('dead').sort()).toEqual(['failed', 'received']);
  });
});

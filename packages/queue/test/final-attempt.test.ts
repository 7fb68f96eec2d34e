import { UnrecoverableError } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { failedForGood, isFinalAttempt } from '../src/final-attempt.ts';

const job = (attemptsMade: number, attempts?: number) => ({
  attemptsMade,
  opts: attempts === undefined ? {} : { attempts },
});

describe('isFinalAttempt, while the attempt runs', () => {
  it('is final on the last allowed attempt, not before', () => {
    expect(isFinalAttempt(job(0, 3), new Error('boom'))).toBe(false);
    expect(isFinalAttempt(job(1, 3), new Error('boom'))).toBe(false);
    expect(isFinalAttempt(job(2, 3), new Error('boom'))).toBe(true);
  });

  it('is final at once for a failure no retry can fix, by class or by name', () => {
    expect(isFinalAttempt(job(0, 3), new UnrecoverableError('unreadable'))).toBe(true);
    const fromAnotherCopy = Object.assign(new Error('unreadable'), { name: 'UnrecoverableError' });
    expect(isFinalAttempt(job(0, 3), fromAnotherCopy)).toBe(true);
  });

  it('treats a job without attempts as allowed one, as BullMQ does', () => {
    expect(isFinalAttempt(job(0), new Error('boom'))).toBe(true);
  });

  it('takes anything thrown, not only errors', () => {
    expect(isFinalAttempt(job(0, 3), 'a string')).toBe(false);
    expect(isFinalAttempt(job(0, 3), undefined)).toBe(false);
  });
});

describe('failedForGood, in a failed listener', () => {
  it('counts the attempt BullMQ has already counted only once', () => {
    expect(failedForGood(job(2, 3), new Error('boom'))).toBe(false);
    expect(failedForGood(job(3, 3), new Error('boom'))).toBe(true);
    expect(failedForGood(job(1, 3), new UnrecoverableError('unreadable'))).toBe(true);
  });
});

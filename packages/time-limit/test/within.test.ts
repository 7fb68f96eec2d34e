import { describe, expect, it } from 'vitest';
import { answersWithin, TIMED_OUT, within } from '../src/index.ts';

const resolveAfter = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => setTimeout(resolve, ms, value));
const failAfter = (ms: number) =>
  new Promise<never>((_resolve, reject) => setTimeout(reject, ms, new Error('late')));

describe('within', () => {
  it('gives the result of work that finishes in time', async () => {
    expect(await within(resolveAfter(5, 'done'), 1_000)).toBe('done');
  });

  it('gives TIMED_OUT once the limit passes, and a late rejection stays handled', async () => {
    expect(await within(failAfter(50), 5)).toBe(TIMED_OUT);
    await resolveAfter(60, undefined);
  });

  it('passes a rejection before the limit through', async () => {
    await expect(within(failAfter(1), 1_000)).rejects.toThrow('late');
  });
});

describe('answersWithin', () => {
  it('says yes only for a check that succeeds in time', async () => {
    expect(await answersWithin(() => resolveAfter(1, 'pong'), 1_000)).toBe(true);
    expect(await answersWithin(() => resolveAfter(50, 'pong'), 5)).toBe(false);
    expect(await answersWithin(() => failAfter(1), 1_000)).toBe(false);
  });
});

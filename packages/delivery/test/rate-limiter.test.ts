import { describe, expect, it } from 'vitest';
import { TokenBucket } from '../src/rate-limiter.ts';

describe('TokenBucket', () => {
  it('lets one second of tokens through, then books each next one a period later', () => {
    const bucket = new TokenBucket(4, 0);
    const waits = Array.from({ length: 7 }, () => bucket.reserve(0, 10_000));
    expect(waits).toEqual([0, 0, 0, 0, 250, 500, 750]);
  });

  it('refills with time, up to its capacity', () => {
    const bucket = new TokenBucket(2, 0);
    bucket.reserve(0, 0);
    bucket.reserve(0, 0);
    expect(bucket.reserve(0, 0)).toBeUndefined();
    expect(bucket.reserve(500, 0)).toBe(0);
    expect([0, 0, 0].map(() => bucket.reserve(60_000, 0))).toEqual([0, 0, undefined]);
  });

  it('books nothing when the wait would be too long, and says when to come back', () => {
    const bucket = new TokenBucket(1, 0);
    expect(bucket.reserve(0, 100)).toBe(0);
    expect(bucket.reserve(0, 100)).toBeUndefined();
    expect(bucket.retryAfterMs(100)).toBe(900);
    expect(bucket.reserve(900, 100)).toBe(100);
  });

  it('allows a rate below one a second', () => {
    const bucket = new TokenBucket(0.5, 0);
    expect([bucket.reserve(0, 5_000), bucket.reserve(0, 5_000)]).toEqual([0, 2_000]);
  });
});

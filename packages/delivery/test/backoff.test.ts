import { describe, expect, it } from 'vitest';
import { backoffDelayMs } from '../src/index.ts';

const policy = { baseMs: 1_000, capMs: 60_000 };

describe('backoffDelayMs', () => {
  it('draws below a ceiling that doubles per retry', () => {
    expect(
      [1, 2, 3, 4].map((retry) => backoffDelayMs(policy, retry, undefined, () => 0.5)),
    ).toEqual([500, 1_000, 2_000, 4_000]);
    expect(backoffDelayMs(policy, 3, undefined, () => 0)).toBe(0);
  });

  it('never exceeds the cap, however many retries', () => {
    expect(backoffDelayMs(policy, 50, undefined, () => 0.999_999)).toBeLessThan(60_000);
  });

  it('spreads retries that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelayMs(policy, 6, undefined)));
    expect(delays.size).toBeGreaterThan(40);
  });

  it("waits for the destination's Retry-After when it is longer", () => {
    expect(backoffDelayMs(policy, 1, 120_000, () => 0.5)).toBe(120_000);
    expect(backoffDelayMs(policy, 4, 100, () => 0.5)).toBe(4_000);
  });
});

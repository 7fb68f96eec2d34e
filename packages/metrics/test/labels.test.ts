import { describe, expect, it } from 'vitest';
import { cached } from '../src/cached.ts';
import { boundedLabel, OTHER_VALUE, sourceLabel, UNKNOWN_SOURCE } from '../src/labels.ts';

describe('labels', () => {
  it('maps a source nobody configured to one label', () => {
    const label = sourceLabel(new Set(['payments']));
    expect(label('payments')).toBe('payments');
    expect(label('random-attacker-path')).toBe(UNKNOWN_SOURCE);
  });

  it('keeps the first values of a label and folds later ones into other', () => {
    const label = boundedLabel(2);
    expect(['a', 'b', 'c', 'a', 'd'].map(label)).toEqual(['a', 'b', OTHER_VALUE, 'a', OTHER_VALUE]);
  });
});

describe('cached', () => {
  it('reads once per period, however many ask at once', async () => {
    let reads = 0;
    const read = cached(async () => ++reads, 60_000);
    expect(await Promise.all([read(), read()])).toEqual([1, 1]);
    expect(await read()).toBe(1);
  });

  it('does not keep a failed read: the next scrape tries again', async () => {
    let reads = 0;
    const read = cached(async () => {
      reads += 1;
      if (reads === 1) throw new Error('postgres is away');
      return reads;
    }, 60_000);
    await expect(read()).rejects.toThrow('postgres is away');
    expect(await read()).toBe(2);
  });
});

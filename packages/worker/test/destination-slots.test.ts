import { describe, expect, it } from 'vitest';
import { DestinationSlots } from '../src/destination-slots.ts';

describe('slots per destination', () => {
  it('gives one destination at most its share, and others theirs meanwhile', () => {
    const slots = new DestinationSlots(2);
    expect([slots.take('a/slow'), slots.take('a/slow'), slots.take('a/slow')]).toEqual([
      true,
      true,
      false,
    ]);
    expect(slots.take('a/fast')).toBe(true);
    slots.release('a/slow');
    expect(slots.take('a/slow')).toBe(true);
    expect(slots.take('a/slow')).toBe(false);
  });

  it('frees every slot a destination gave back', () => {
    const slots = new DestinationSlots(1);
    expect(slots.take('a/x')).toBe(true);
    slots.release('a/x');
    expect(slots.take('a/x')).toBe(true);
    expect(slots.take('a/x')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../src/index.ts';

const now = Date.parse('2026-03-01T12:00:00Z');
const max = 3_600_000;

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120_000],
    [' 0 ', 0],
    ['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
    ['Sun, 01 Mar 2026 11:00:00 GMT', 0],
    ['999999', max],
    ['Mon, 01 Mar 2027 12:00:00 GMT', max],
  ])('%s is %d ms', (header, ms) => {
    expect(parseRetryAfter(header, now, max)).toBe(ms);
  });

  it.each([[null], [undefined], [''], ['soon'], ['-5'], ['1.5']])('%s is no delay', (header) => {
    expect(parseRetryAfter(header, now, max)).toBeUndefined();
  });
});

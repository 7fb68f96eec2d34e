import { describe, expect, it } from 'vitest';
import { filterFrom, sinceInstant } from '../src/filter-options.ts';
import { UsageError } from '../src/output.ts';

const NOW = new Date('2026-11-23T18:00:00Z');

describe('--since', () => {
  it('reads a duration back from now', () => {
    expect(sinceInstant('90s', NOW)).toBe('2026-11-23T17:58:30.000Z');
    expect(sinceInstant('1h', NOW)).toBe('2026-11-23T17:00:00.000Z');
    expect(sinceInstant('2d', NOW)).toBe('2026-11-21T18:00:00.000Z');
  });

  it('passes an instant on as it is', () => {
    expect(sinceInstant('2026-11-01', NOW)).toBe('2026-11-01');
  });

  it('names the flag and the forms it takes when it cannot read it', () => {
    expect(() => filterFrom({ since: 'yesterday-ish' })).toThrow(UsageError);
    expect(() => filterFrom({ since: 'yesterday-ish' })).toThrow(/^--since: expected a duration/);
    expect(() => filterFrom({ status: 'done' })).toThrow(/^--status: unknown status "done"/);
  });
});

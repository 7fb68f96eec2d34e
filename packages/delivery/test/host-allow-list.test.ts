import { describe, expect, it } from 'vitest';
import { parseHostAllowList } from '../src/index.ts';

describe('parseHostAllowList', () => {
  const hosts = parseHostAllowList([
    'billing.example',
    '*.internal.example',
    '10.0.0.0/8',
    '192.168.1.7',
    'fd00::/8',
    '::1',
  ]);

  it.each([
    'billing.example',
    'BILLING.example',
    'a.internal.example',
    'a.b.internal.example',
    '10.1.2.3',
    '192.168.1.7',
    '[fd12::1]',
    '[::1]',
  ])('allows %s', (host) => {
    expect(hosts.allows(host)).toBe(true);
  });

  it.each([
    'internal.example',
    'evilinternal.example',
    'internal.example.evil',
    'other.example',
    'billing.example.evil',
    '11.0.0.1',
    '192.168.1.8',
    '[fe80::1]',
    '127.0.0.1',
  ])('refuses %s', (host) => {
    expect(hosts.allows(host)).toBe(false);
  });

  it('allows nothing when empty', () => {
    expect(parseHostAllowList([]).allows('localhost')).toBe(false);
  });

  it.each([
    ['http://billing.example', 'is not a host'],
    ['*.', 'is not a host'],
    ['bill ing', 'is not a host'],
    ['10.0.0.0/33', 'prefix length must be 0 to 32'],
    ['fd00::/129', 'prefix length must be 0 to 128'],
  ])('names the pattern it cannot read: %s', (pattern, problem) => {
    expect(() => parseHostAllowList([pattern])).toThrow(problem);
    expect(() => parseHostAllowList([pattern])).toThrow(`"${pattern}"`);
  });
});

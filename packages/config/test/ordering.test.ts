import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { orderingOf, orderingValue, readSourcesFile } from '../src/index.ts';

function sourcesFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wi-config-')), 'sources.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const entry = (ordering: unknown) => ({ name: 'shop', provider: 'p', secret: 's', ordering });

describe('a source’s ordering setting', () => {
  it('reads a key and `by`, with `received` as the default order', () => {
    const file = sourcesFile([
      entry({ key: 'data.object.id', by: 'created' }),
      { ...entry({ key: ['repository.id', 'issue.number'] }), name: 'gh' },
      { name: 'plain', provider: 'p', secret: 's' },
    ]);
    expect(readSourcesFile(file).orderings()).toEqual(
      new Map([
        ['shop', { key: ['data.object.id'], by: 'created' }],
        ['gh', { key: ['repository.id', 'issue.number'], by: 'received' }],
      ]),
    );
  });

  it.each([
    ['no key', { by: 'received' }, /ordering\.key: /],
    ['an empty key', { key: '' }, /ordering\.key: /],
    ['an empty segment', { key: 'data..id' }, /ordering\.key: /],
    ['an empty key list', { key: [] }, /ordering\.key: needs at least one dot path/],
    ['a key that is not text', { key: 7 }, /ordering\.key: /],
    ['an empty `by`', { key: 'id', by: '' }, /ordering\.by: /],
    ['`by` with spaces', { key: 'id', by: 'updated at' }, /ordering\.by: /],
    ['an unknown setting', { key: 'id', within: 'source' }, /ordering: .*within/],
    ['not an object', 'data.object.id', /ordering: /],
  ])('refuses %s at start-up in one line naming the setting', (_, ordering, message) => {
    const file = sourcesFile([entry(ordering)]);
    expect(() => readSourcesFile(file)).toThrow(message);
    expect(() => readSourcesFile(file)).toThrow(/: entry 0 \("shop"\): ordering/);
  });
});

describe('the key and value an ordering gives a payload', () => {
  const stripe = { key: ['data.object.id'], by: 'created' };
  const github = { key: ['repository.id', 'issue.number'], by: 'issue.updated_at' };

  it('reads a Stripe-shaped event: the object ID and `created` in seconds', () => {
    const payload = { created: 1_700_000_123, data: { object: { id: 'sub_1' } } };
    expect(orderingOf(stripe, payload)).toEqual({ key: 'sub_1', value: 1_700_000_123 });
  });

  it('reads a GitHub-shaped event: a composite key, and an ISO date as milliseconds', () => {
    const payload = {
      repository: { id: 42 },
      issue: { number: 7, updated_at: '2024-05-01T10:00:00Z' },
    };
    expect(orderingOf(github, payload)).toEqual({
      key: '["42","7"]',
      value: Date.UTC(2024, 4, 1, 10),
    });
  });

  it('keeps composite keys apart that would join to the same text', () => {
    const spec = { key: ['a', 'b'], by: 'received' };
    expect(orderingOf(spec, { a: 'x/y', b: 'z' })?.key).not.toBe(
      orderingOf(spec, { a: 'x', b: 'y/z' })?.key,
    );
  });

  it('has no value by `received`, and none when the path is missing or unreadable', () => {
    expect(orderingOf({ key: ['id'], by: 'received' }, { id: 'a', received: 5 })).toEqual({
      key: 'a',
      value: null,
    });
    expect(orderingOf({ key: ['id'], by: 'v' }, { id: 'a' })).toEqual({ key: 'a', value: null });
    expect(orderingOf({ key: ['id'], by: 'v' }, { id: 'a', v: 'soon' })?.value).toBeNull();
  });

  it.each([
    ['missing', {}],
    ['null', { id: null }],
    ['an object', { id: { nested: 1 } }],
    ['empty text', { id: '' }],
    ['a prototype field', {}],
  ])('leaves an event unordered when its key is %s', (_, payload) => {
    expect(orderingOf({ key: ['id'], by: 'received' }, payload)).toBeUndefined();
    expect(orderingOf({ key: ['constructor'], by: 'received' }, payload)).toBeUndefined();
  });

  it('leaves a payload that is not an object unordered', () => {
    expect(orderingOf({ key: ['id'], by: 'received' }, 'text')).toBeUndefined();
    expect(orderingOf({ key: ['0'], by: 'received' }, null)).toBeUndefined();
  });

  it('stores a long key as its digest, the same for the same key', () => {
    const id = 'x'.repeat(5_000);
    const key = orderingOf({ key: ['id'], by: 'received' }, { id })?.key;
    expect(key).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(orderingOf({ key: ['id'], by: 'received' }, { id })?.key).toBe(key);
  });

  it.each([
    [12, 12],
    ['12', 12],
    ['-3.5', -3.5],
    ['2024-05-01T10:00:00+02:00', Date.UTC(2024, 4, 1, 8)],
    [Number.NaN, null],
    [true, null],
    ['v2', null],
  ])('reads %j as the value %j', (raw, value) => {
    expect(orderingValue(raw)).toBe(value);
  });
});

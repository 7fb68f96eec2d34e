import { environmentPerFile } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { parsePayloadMatch, payloadContains } from '../src/filter.ts';

const env = environmentPerFile();

const payload = {
  id: 'evt_1',
  type: 'invoice.paid',
  data: {
    object: { customer: 'cus_1', amount: 4900, paid: true, discount: null, ratio: 0.5 },
    lines: [
      { price: 'p_1', quantity: 2 },
      { price: 'p_2', quantity: 1 },
    ],
    tags: ['vip', 'eu'],
  },
};

// Each match as the console and a subscriber's `payload` option take it, and some only JSON says.
const matches: unknown[] = [
  {},
  { id: 'evt_1' },
  { id: 'evt_2' },
  { data: { object: { customer: 'cus_1' } } },
  { data: { object: { customer: 'cus_1', amount: 4900 } } },
  { data: { object: { amount: 4900.0 } } },
  { data: { object: { amount: '4900' } } },
  { data: { object: { paid: true } } },
  { data: { object: { paid: 'true' } } },
  { data: { object: { discount: null } } },
  { data: { object: { missing: null } } },
  { data: { object: { ratio: 0.5 } } },
  { data: { lines: [{ price: 'p_2' }] } },
  { data: { lines: [{ price: 'p_2', quantity: 2 }] } },
  { data: { lines: [] } },
  { data: { tags: ['eu'] } },
  { data: { tags: ['eu', 'vip'] } },
  { data: { tags: ['us'] } },
  { data: { tags: 'eu' } },
  { data: { object: 'cus_1' } },
  { data: { object: {} } },
  { data: [] },
  { type: { nested: 1 } },
];

describe('a payload filter in memory', () => {
  it('matches exactly what jsonb @> matches in Postgres', async () => {
    for (const match of matches) {
      const [row] = await env.db.rows<{ contains: boolean }>(
        'select $1::jsonb @> $2::jsonb as contains',
        [JSON.stringify(payload), JSON.stringify(match)],
      );
      expect({ match, contains: payloadContains(payload, match) }).toEqual({
        match,
        contains: row?.contains,
      });
    }
  });

  it('reads the console form `path = value` the same way', () => {
    const parsed = (text: string) => {
      const result = parsePayloadMatch(text);
      if (!result.ok) throw new Error(result.reason);
      return result.value;
    };
    expect(payloadContains(payload, parsed('data.object.customer = cus_1'))).toBe(true);
    expect(payloadContains(payload, parsed('data.object.amount = 4900'))).toBe(true);
    expect(payloadContains(payload, parsed('data.object.amount = "4900"'))).toBe(false);
    expect(payloadContains(payload, parsed('data.object.customer = cus_2'))).toBe(false);
  });
});

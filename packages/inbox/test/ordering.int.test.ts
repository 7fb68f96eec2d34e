import {
  createTestEnvironment,
  type StoredRow,
  seedRows,
  storeRow,
  type TestEnvironment,
} from '@webhook-inbox/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  beginClaims,
  blockedKeys,
  type Claim,
  nextInKeys,
  readInboxGauges,
  rollback,
} from '../src/index.ts';

type OrderingSpec = NonNullable<StoredRow['ordering']>;

let env: TestEnvironment;

beforeAll(async () => {
  env = await createTestEnvironment();
});
afterAll(async () => {
  await env.cleanup();
});

const byVersion: OrderingSpec = { key: ['key'], by: 'version' };

async function store(eventId: string, payload: unknown, ordering?: OrderingSpec) {
  const body = JSON.stringify(payload);
  return (await storeRow(env, { source: 'shop', eventId, body, ...(ordering && { ordering }) }))
    .rowId;
}

/** A connection whose statements are counted, to show what a claim costs. */
async function countedClient() {
  const client = await env.db.pool.connect();
  let statements = 0;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: typeof query }).query = (...args: unknown[]) => {
    statements += 1;
    return query(...args);
  };
  return { client, statements: () => statements };
}

async function claimAndRollBack(client: pg.PoolClient, rowIds: number[]) {
  const claims = await beginClaims(client, rowIds);
  await rollback(client);
  return claims;
}

const kindOf = (claims: Map<number, Claim>, rowId: number) => claims.get(rowId)?.kind;

describe('claiming ordered events', () => {
  it('costs unordered events no statement more than before: BEGIN and the claim', async () => {
    const rowIds = [await store('u1', { key: 'a' }), await store('u2', { key: 'a' })];
    const { client, statements } = await countedClient();
    try {
      const claims = await claimAndRollBack(client, rowIds);
      expect(rowIds.map((id) => kindOf(claims, id))).toEqual(['claimed', 'claimed']);
      // BEGIN, the claim and the ROLLBACK: no order check.
      expect(statements()).toBe(3);
    } finally {
      client.release();
    }
  });

  it('lets only the head of a key run, by value then arrival, and tells the rest what they wait for', async () => {
    const v3 = await store('o3', { key: 'k', version: 3 }, byVersion);
    const v1 = await store('o1', { key: 'k', version: 1 }, byVersion);
    const other = await store('o9', { key: 'other', version: 9 }, byVersion);
    const { client, statements } = await countedClient();
    try {
      const claims = await claimAndRollBack(client, [v3, v1, other]);
      expect(kindOf(claims, v1)).toBe('claimed');
      expect(kindOf(claims, other)).toBe('claimed');
      expect(claims.get(v3)).toMatchObject({ kind: 'waiting', waitsFor: v1 });
      // One statement more for a group holding ordered events.
      expect(statements()).toBe(4);
    } finally {
      client.release();
    }
    expect(await nextInKeys(env.db.pool, [{ source: 'shop', key: 'k' }])).toEqual([
      { rowId: v1, source: 'shop', status: 'received' },
    ]);
    // An event behind the head takes no lock of its key: the head is not held up by it.
    const behind = await env.db.pool.connect();
    const { client: other2 } = await countedClient();
    try {
      expect(kindOf(await beginClaims(behind, [v3]), v3)).toBe('waiting');
      expect(kindOf(await claimAndRollBack(other2, [v1]), v1)).toBe('claimed');
    } finally {
      await rollback(behind);
      behind.release();
      other2.release();
    }
  });

  it('makes a key another transaction is running wait, until that one ends', async () => {
    const head = await store('l2', { key: 'locked', version: 2 }, byVersion);
    const holder = await env.db.pool.connect();
    const { client } = await countedClient();
    try {
      expect(kindOf(await beginClaims(holder, [head]), head)).toBe('claimed');
      // Older, so nothing is ahead of it; but its key is running in the holder's transaction.
      const next = await store('l1', { key: 'locked', version: 1 }, byVersion);
      expect((await claimAndRollBack(client, [next])).get(next)).toMatchObject({
        kind: 'waiting',
        waitsFor: null,
      });
      await rollback(holder);
      expect(kindOf(await claimAndRollBack(client, [next]), next)).toBe('claimed');
    } finally {
      holder.release();
      client.release();
    }
  });

  it('marks an event older than the last applied stale, and gives the others the last value', async () => {
    const applied = await store('s5', { key: 'st', version: 5 }, byVersion);
    await env.db.rows(`update webhook_events set status = 'processed' where id = $1`, [applied]);
    const older = await store('s4', { key: 'st', version: 4 }, byVersion);
    const same = await store('s5b', { key: 'st2', version: 5 }, byVersion);
    const { client } = await countedClient();
    try {
      const claims = await claimAndRollBack(client, [older]);
      expect(claims.get(older)).toMatchObject({
        kind: 'stale',
        event: { ordering: { key: 'st', value: 4, previous: 5 } },
      });
      expect(kindOf(await claimAndRollBack(client, [same]), same)).toBe('claimed');
    } finally {
      client.release();
    }
  });
});

describe('the blocked keys gauge', () => {
  it('counts the keys whose head failed or is dead, as blockedKeys lists them', async () => {
    const before = (await readInboxGauges(env.db)).blockedKeys;
    await seedRows(env, [
      { source: 'gauge', eventId: 'g1', status: 'dead', ordering: { key: 'k1', value: 1 } },
      { source: 'gauge', eventId: 'g2', ordering: { key: 'k1', value: 2 } },
      { source: 'gauge', eventId: 'g3', status: 'failed', ordering: { key: 'k2', value: 1 } },
      // Behind a head that only waits for a worker: its own failure blocks nothing yet.
      { source: 'gauge', eventId: 'g4', ordering: { key: 'k3', value: 1 } },
      { source: 'gauge', eventId: 'g5', status: 'failed', ordering: { key: 'k3', value: 2 } },
      { source: 'gauge', eventId: 'g6', status: 'dead' },
    ]);
    expect((await readInboxGauges(env.db)).blockedKeys - before).toBe(2);
    const listed = (await blockedKeys(env.db.pool)).filter((k) => k.source === 'gauge');
    expect(listed.map((k) => [k.key, k.waiting])).toEqual([
      ['k1', 1],
      ['k2', 0],
    ]);
  });
});

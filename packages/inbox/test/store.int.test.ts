import { randomBytes } from 'node:crypto';
import { createDb, type Database } from '@webhook-inbox/db';
import { environmentPerFile, eventToStore } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import { storeEvent } from '../src/index.ts';

// Postgres's refusals, classified where the SQL lives: the payload's fault is a value (a 400 for
// the sender), Postgres's own failure is thrown (a 503), whatever the ingress checks before.

const env = environmentPerFile();

describe('storeEvent', () => {
  it('refuses JSON nested deeper than jsonb accepts as the content, not as an outage', async () => {
    const depth = 100_000;
    const outcome = await storeEvent(
      env.db,
      eventToStore({ body: `${'['.repeat(depth)}${']'.repeat(depth)}` }),
    );
    expect(outcome).toMatchObject({ kind: 'unstorable' });
  });

  it('refuses an event ID too large for the unique index as the content', async () => {
    const outcome = await storeEvent(
      env.db,
      eventToStore({ eventId: randomBytes(4000).toString('base64') }),
    );
    expect(outcome).toMatchObject({
      kind: 'unstorable',
      detail: expect.stringMatching(/index row/),
    });
  });

  it('refuses invalid JSON and a \\u0000 escape as the content', async () => {
    expect(await storeEvent(env.db, eventToStore({ body: '{"a":' }))).toMatchObject({
      kind: 'unstorable',
    });
    expect(await storeEvent(env.db, eventToStore({ body: '{"a":"\\u0000"}' }))).toMatchObject({
      kind: 'unstorable',
    });
  });

  it('throws when Postgres cancels the statement (a timeout is an outage, never the sender’s fault)', async () => {
    const slow: Database = createDb(env.databaseUrl, { statementTimeoutMs: 1 });
    const locker = await env.db.pool.connect();
    try {
      await locker.query('begin');
      await locker.query('lock table webhook_events in access exclusive mode');
      await expect(storeEvent(slow, eventToStore())).rejects.toMatchObject({ code: '57014' });
    } finally {
      await locker.query('rollback');
      locker.release();
      await slow.close();
    }
  });

  it('stores the body digest and names the key of a duplicate', async () => {
    const first = eventToStore();
    const stored = await storeEvent(env.db, first);
    expect(stored.kind).toBe('inserted');
    const [row] = await env.db.rows<{ body_sha256: string }>(
      'select body_sha256 from webhook_events where event_id = $1',
      [first.eventId],
    );
    expect(row?.body_sha256).toBe(first.bodySha256);
    expect(await storeEvent(env.db, first)).toEqual({
      kind: 'duplicate',
      rowId: stored.kind === 'inserted' ? stored.rowId : -1,
      key: 'event_id',
      needsJob: true,
    });
  });
});

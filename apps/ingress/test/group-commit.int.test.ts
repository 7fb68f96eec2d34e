import { randomBytes } from 'node:crypto';
import { createDb } from '@webhook-inbox/db';
import { jobIdFor } from '@webhook-inbox/queue';
import {
  environmentPerFile,
  exampleSources,
  paymentEvent,
  silentLog,
  waitFor,
} from '@webhook-inbox/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { Ingest, type IngestOutcome } from '../src/ingest.ts';

// The ingress's group commit against the real Postgres and Redis: what one batch of concurrent
// deliveries stores, queues and answers.

const env = environmentPerFile();
let ingest: Ingest;
const payments = exampleSources().get('payments');
if (!payments) throw new Error('the example sources have no payments source');
const retryPolicies = new Map([['payments', payments.retry]]);

beforeAll(async () => {
  ingest = new Ingest(
    { db: env.db, queue: env.queue, redis: env.redis, retryPolicies, log: silentLog },
    { deadlineMs: 5_000 },
  );
});

function delivery(body: string, eventId: string, signedContentSha256?: string) {
  const event = { eventId, eventType: 'payment.succeeded', body, signedContentSha256 };
  return {
    source: payments as NonNullable<typeof payments>,
    event,
    rawBody: Buffer.from(body),
    headers: {},
  };
}

function payment(id = `evt_${randomBytes(6).toString('hex')}`, amount = 100) {
  return delivery(JSON.stringify(paymentEvent('cus_batch', amount, id)), id);
}

/** Submits every delivery in the same turn of the event loop, as concurrent requests arrive. */
function sendTogether(deliveries: ReturnType<typeof delivery>[]): Promise<IngestOutcome[]> {
  return Promise.all(deliveries.map((d) => ingest.ingest(d)));
}

async function rowsOf(ids: string[]) {
  return env.db.rows<{ event_id: string; queued: boolean }>(
    'select event_id, queued_at is not null as queued from webhook_events where event_id = any($1)',
    [ids],
  );
}

describe('group commit', () => {
  it('stores and queues concurrent deliveries in one batch, and marks them queued', async () => {
    const deliveries = Array.from({ length: 40 }, () => payment());
    const batchesBefore = ingest.stats.batches;
    const outcomes = await sendTogether(deliveries);
    expect(ingest.stats.batches - batchesBefore).toBe(1);
    expect(outcomes.every((o) => o.kind === 'accepted' && !o.duplicate)).toBe(true);

    const ids = deliveries.map((d) => d.event.eventId);
    expect(await rowsOf(ids)).toHaveLength(40);
    for (const outcome of outcomes) {
      if (outcome.kind !== 'accepted' || outcome.rowId === null)
        throw new Error(`not accepted as new: ${outcome.kind}`);
      expect(await env.queue.getJob(jobIdFor(outcome.rowId))).toBeDefined();
    }
    await waitFor(async () => ((await rowsOf(ids)).every((r) => r.queued) ? true : undefined), {
      what: 'queued_at on every row',
    });
  });

  it('refuses a row Postgres cannot store without failing its batch-mates', async () => {
    const before = payment();
    const after = payment();
    const nul = payment();
    // jsonb cannot hold \u0000 (22P05); a unique index cannot hold an ID that large (54000).
    const withNul = delivery(nul.event.body.replace('"INR"', '"\\u0000"'), nul.event.eventId);
    const longId = payment(`evt_${randomBytes(3000).toString('base64')}`);
    const outcomes = await sendTogether([before, withNul, longId, after]);
    expect(outcomes.map((o) => o.kind)).toEqual([
      'accepted',
      'unstorable',
      'unstorable',
      'accepted',
    ]);
    expect(await rowsOf([before.event.eventId, after.event.eventId])).toHaveLength(2);
  });

  it('resolves deliveries of one event in one batch to one row, the first new and the rest duplicates', async () => {
    const first = payment();
    const changed = delivery(first.event.body.replace('100', '200'), first.event.eventId);
    const [a, b, c] = await sendTogether([first, first, changed]);
    expect(a).toMatchObject({ kind: 'accepted', duplicate: false });
    expect(b).toMatchObject({ kind: 'accepted', duplicate: true, duplicateKey: 'event_id' });
    expect(b).not.toHaveProperty('conflict');
    expect(c).toMatchObject({ kind: 'accepted', duplicate: true, duplicateKey: 'event_id' });
    if (a?.kind !== 'accepted' || c?.kind !== 'accepted' || !c.duplicate)
      throw new Error('not accepted');
    expect(b).toMatchObject({ rowId: a.rowId });
    expect(c.conflict?.storedSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(c.conflict?.receivedSha256).not.toBe(c.conflict?.storedSha256);
    expect(await rowsOf([first.event.eventId])).toHaveLength(1);
  });

  it('keys events on their signed content too, in one batch and across batches', async () => {
    const digest = randomBytes(32).toString('hex');
    const body = JSON.stringify(paymentEvent('cus_batch', 1));
    const [a, b] = await sendTogether([
      delivery(body, 'hdr_1', digest),
      delivery(body, 'hdr_2', digest),
    ]);
    expect(a).toMatchObject({ kind: 'accepted', duplicate: false });
    expect(b).toMatchObject({ kind: 'accepted', duplicate: true, duplicateKey: 'signed_content' });
    const [later] = await sendTogether([delivery(body, 'hdr_3', digest)]);
    expect(later).toMatchObject({
      kind: 'accepted',
      duplicate: true,
      duplicateKey: 'signed_content',
    });
  });

  it('flags a later delivery of a stored event ID whose body differs', async () => {
    const first = payment();
    await sendTogether([first]);
    const [same, changed] = await sendTogether([
      first,
      delivery(first.event.body.replace('100', '300'), first.event.eventId),
    ]);
    expect(same).toMatchObject({ duplicate: true, duplicateKey: 'event_id' });
    expect(same).not.toHaveProperty('conflict');
    expect(changed).toMatchObject({ duplicate: true, conflict: expect.any(Object) });
  });

  it('answers every delivery of a batch unavailable when Postgres cannot be reached', async () => {
    const down = createDb('postgres://postgres@127.0.0.1:1/nowhere', { connectTimeoutMs: 500 });
    const cut = new Ingest(
      { db: down, queue: env.queue, redis: env.redis, retryPolicies, log: silentLog },
      { deadlineMs: 5_000 },
    );
    try {
      const outcomes = await Promise.all(
        [payment(), payment(), payment()].map((d) => cut.ingest(d)),
      );
      expect(outcomes).toEqual([
        { kind: 'unavailable' },
        { kind: 'unavailable' },
        { kind: 'unavailable' },
      ]);
      expect(cut.stats.batches).toBe(1);
    } finally {
      await down.close();
    }
  });
});

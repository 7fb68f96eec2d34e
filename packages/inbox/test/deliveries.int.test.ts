import { environmentPerFile, eventToStore } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import {
  deferDelivery,
  deliveryWork,
  enableDestination,
  eventDeliveryDetails,
  listDisabledDestinations,
  markDeliveriesQueued,
  recordDelivery,
  resetDeliveriesOfReplayed,
  resetDeliveryForReplay,
  storeEvents,
  undeliveredOf,
  unqueuedDeliveries,
} from '../src/index.ts';

const env = environmentPerFile();

const event = (destinations: string[]) =>
  eventToStore({ source: 'stripe', eventType: 'invoice.paid', destinations });

async function stored(destinations: string[]): Promise<number> {
  const [outcome] = await storeEvents(env.db, [event(destinations)]);
  if (outcome?.kind !== 'inserted') throw new Error(`not inserted: ${outcome?.kind}`);
  return outcome.rowId;
}

const attempt = (statusCode: number | undefined, error?: string) => ({
  at: new Date(),
  statusCode,
  latencyMs: 3,
  responseSnippet: 'ok',
  error,
});

describe('the deliveries ledger', () => {
  it('stores the ledger rows in the statement that stores the event, and none for a duplicate', async () => {
    const first = event(['billing', 'audit']);
    const [inserted] = await storeEvents(env.db, [first]);
    const [duplicate] = await storeEvents(env.db, [{ ...first, destinations: ['other'] }]);
    expect(duplicate?.kind).toBe('duplicate');
    const rowId = (inserted as { rowId: number }).rowId;
    const details = await eventDeliveryDetails(env.db, rowId);
    expect(details.map((row) => [row.destination, row.status, row.attempts])).toEqual([
      ['audit', 'pending', 0],
      ['billing', 'pending', 0],
    ]);
  });

  it('stores no ledger row for an event no destination takes', async () => {
    const rowId = await stored([]);
    expect(await eventDeliveryDetails(env.db, rowId)).toEqual([]);
  });

  it('records attempts with the status, and never turns a delivered row back', async () => {
    const rowId = await stored(['billing']);
    const key = { rowId, destination: 'billing' };
    await recordDelivery(env.db, key, {
      status: 'failed',
      attempt: attempt(500, 'answered 500'),
    });
    await recordDelivery(env.db, key, { status: 'delivered', attempt: attempt(200) });
    expect(await recordDelivery(env.db, key, { status: 'failed', attempt: attempt(502) })).toBe(
      false,
    );
    const [detail] = await eventDeliveryDetails(env.db, rowId);
    expect(detail).toMatchObject({ status: 'delivered', attempts: 2, lastStatusCode: 200 });
    expect(detail?.deliveredAt).toBeInstanceOf(Date);
    expect(detail?.history.map((entry) => [entry.statusCode, entry.outcome])).toEqual([
      [500, 'failed'],
      [200, 'delivered'],
      [502, 'failed'],
    ]);
  });

  it('keeps a destination disabled after a 410 until it is enabled', async () => {
    const rowId = await stored(['gone']);
    const later = await stored(['gone']);
    const disable = { source: 'stripe', reason: 'the destination answered 410 Gone' };
    await recordDelivery(
      env.db,
      { rowId, destination: 'gone' },
      { status: 'disabled', attempt: attempt(410), disable },
    );
    expect(await deliveryWork(env.db, { rowId: later, destination: 'gone' })).toMatchObject({
      status: 'pending',
      destinationDisabled: true,
      eventType: 'invoice.paid',
    });
    expect((await eventDeliveryDetails(env.db, later))[0]?.destinationDisabled).toBe(true);
    expect(await listDisabledDestinations(env.db)).toEqual([
      expect.objectContaining({ source: 'stripe', destination: 'gone', reason: disable.reason }),
    ]);
    expect(await enableDestination(env.db, 'stripe', 'gone')).toEqual({
      wasDisabled: true,
      resumed: [{ rowId, destination: 'gone', source: 'stripe' }],
    });
    expect(await enableDestination(env.db, 'stripe', 'gone')).toEqual({
      wasDisabled: false,
      resumed: [],
    });
    expect(await listDisabledDestinations(env.db)).toEqual([]);
    const work = await deliveryWork(env.db, { rowId: later, destination: 'gone' });
    expect(work?.destinationDisabled).toBe(false);
    expect((await eventDeliveryDetails(env.db, later))[0]?.destinationDisabled).toBe(false);
    // The delivery the 410 ended starts again, every try of its policy available.
    const [resumed] = await eventDeliveryDetails(env.db, rowId);
    expect(resumed).toMatchObject({ status: 'pending', attempts: 0, lastStatusCode: 410 });
    expect(resumed?.history).toHaveLength(1);
  });

  it('does not undo an enable: a refusal as disabled only lands while the destination still is', async () => {
    const gone = await stored(['flaky']);
    const waiting = await stored(['flaky']);
    await recordDelivery(
      env.db,
      { rowId: gone, destination: 'flaky' },
      { status: 'disabled', attempt: attempt(410), disable: { source: 'stripe', reason: '410' } },
    );
    const refusal = { status: 'disabled' as const, error: 'destination answered 410 Gone' };
    expect(await recordDelivery(env.db, { rowId: waiting, destination: 'flaky' }, refusal)).toBe(
      true,
    );
    await enableDestination(env.db, 'stripe', 'flaky');
    // A runner that read "disabled" before the enable writes its refusal after it.
    expect(await recordDelivery(env.db, { rowId: waiting, destination: 'flaky' }, refusal)).toBe(
      false,
    );
    expect((await eventDeliveryDetails(env.db, waiting))[0]?.status).toBe('pending');
  });

  it('keeps when the next try is planned, and forgets it once the delivery ends', async () => {
    const rowId = await stored(['later']);
    const key = { rowId, destination: 'later' };
    const nextAttemptAt = new Date(Date.now() + 60_000);
    await recordDelivery(env.db, key, {
      status: 'failed',
      attempt: attempt(503),
      nextAttemptAt,
    });
    expect((await eventDeliveryDetails(env.db, rowId))[0]?.nextAttemptAt).toEqual(nextAttemptAt);
    const deferred = new Date(Date.now() + 120_000);
    await deferDelivery(env.db, key, deferred);
    expect((await eventDeliveryDetails(env.db, rowId))[0]?.nextAttemptAt).toEqual(deferred);
    await recordDelivery(env.db, key, { status: 'delivered', attempt: attempt(200) });
    expect((await eventDeliveryDetails(env.db, rowId))[0]?.nextAttemptAt).toBe(null);
    // A finished delivery has no next try to put off.
    await deferDelivery(env.db, key, deferred);
    expect((await eventDeliveryDetails(env.db, rowId))[0]?.nextAttemptAt).toBe(null);
  });

  it("resets a replayed event's dead and disabled deliveries, not its delivered or unfinished ones", async () => {
    const rowId = await stored(['dead', 'delivered', 'disabled', 'failed']);
    const other = await stored(['dead']);
    const statuses = {
      dead: 'dead',
      delivered: 'delivered',
      disabled: 'disabled',
      failed: 'failed',
    };
    for (const [destination, status] of Object.entries(statuses)) {
      await recordDelivery(
        env.db,
        { rowId, destination },
        { status: status as 'dead', attempt: attempt(500) },
      );
    }
    await recordDelivery(
      env.db,
      { rowId: other, destination: 'dead' },
      { status: 'dead', attempt: attempt(500) },
    );
    const expected = [
      { rowId, destination: 'dead', source: 'stripe' },
      { rowId, destination: 'disabled', source: 'stripe' },
    ];
    const byName = (a: { destination: string }, b: { destination: string }) =>
      a.destination.localeCompare(b.destination);
    expect((await undeliveredOf(env.db, [rowId])).sort(byName)).toEqual(expected);
    expect((await resetDeliveriesOfReplayed(env.db, [rowId])).sort(byName)).toEqual(expected);
    expect(await resetDeliveriesOfReplayed(env.db, [])).toEqual([]);
    const details = await eventDeliveryDetails(env.db, rowId);
    expect(details.map((row) => [row.destination, row.status, row.attempts])).toEqual([
      ['dead', 'pending', 0],
      ['delivered', 'delivered', 1],
      ['disabled', 'pending', 0],
      ['failed', 'failed', 1],
    ]);
    expect((await eventDeliveryDetails(env.db, other))[0]?.status).toBe('dead');
  });

  it('lists unqueued unfinished deliveries for the relay until they are marked queued', async () => {
    const rowId = await stored(['relay-a', 'relay-b']);
    const mine = async () =>
      (await unqueuedDeliveries(env.db, { olderThanMs: 0, limit: 1000 })).filter(
        (row) => row.rowId === rowId,
      );
    expect(await mine()).toEqual([
      { rowId, destination: 'relay-a', source: 'stripe' },
      { rowId, destination: 'relay-b', source: 'stripe' },
    ]);
    await markDeliveriesQueued(env.db, [{ rowId, destination: 'relay-a' }]);
    expect((await mine()).map((row) => row.destination)).toEqual(['relay-b']);
  });

  it('resets one delivery for a replay', async () => {
    const rowId = await stored(['billing']);
    const key = { rowId, destination: 'billing' };
    await markDeliveriesQueued(env.db, [key]);
    await recordDelivery(env.db, key, { status: 'dead', attempt: attempt(500) });
    expect(await resetDeliveryForReplay(env.db, key)).toEqual({ ...key, source: 'stripe' });
    expect(await resetDeliveryForReplay(env.db, { rowId, destination: 'nope' })).toBe(undefined);
    // Pending now: still on its way, nothing to reset.
    expect(await resetDeliveryForReplay(env.db, key)).toBe(undefined);
    const [detail] = await eventDeliveryDetails(env.db, rowId);
    expect(detail).toMatchObject({ status: 'pending', attempts: 0 });
    const unqueued = await unqueuedDeliveries(env.db, { olderThanMs: 0, limit: 1000 });
    expect(unqueued).toContainEqual({ ...key, source: 'stripe' });
  });
});

import { environmentPerFile, eventToStore } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';
import {
  deliveryWork,
  enableDestination,
  eventDeliveryDetails,
  markDeliveriesQueued,
  recordDelivery,
  resetDeliveryForReplay,
  storeEvents,
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
    expect(await enableDestination(env.db, 'stripe', 'gone')).toBe(true);
    expect(await enableDestination(env.db, 'stripe', 'gone')).toBe(false);
    const work = await deliveryWork(env.db, { rowId: later, destination: 'gone' });
    expect(work?.destinationDisabled).toBe(false);
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
    const [detail] = await eventDeliveryDetails(env.db, rowId);
    expect(detail?.status).toBe('pending');
  });
});

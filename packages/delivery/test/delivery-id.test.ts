import { describe, expect, it } from 'vitest';
import { deliveryId } from '../src/index.ts';

describe('deliveryId', () => {
  it('is stable per (source, event, destination) and differs when any of them does', () => {
    const id = deliveryId('payments', 'evt_1', 'billing');
    expect(id).toMatch(/^msg_[A-Za-z0-9_-]{32}$/);
    expect(deliveryId('payments', 'evt_1', 'billing')).toBe(id);
    expect(
      new Set([
        id,
        deliveryId('payments', 'evt_1', 'ledger'),
        deliveryId('payments', 'evt_2', 'billing'),
        deliveryId('github', 'evt_1', 'billing'),
        deliveryId('payments.evt', '1', 'billing'),
      ]).size,
    ).toBe(5);
  });
});

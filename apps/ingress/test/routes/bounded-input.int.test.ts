import {
  ingressFor,
  ingressPerFile,
  PAYMENTS_SECRET,
  paymentEvent,
  signedPayment,
  sourcesFrom,
} from '@webhook-inbox/testing';
import { DEFAULT_EVENT_LIMITS } from '@webhook-inbox/verify';
import { describe, expect, it } from 'vitest';

// Limits decided before Postgres: a correctly signed event Postgres could never store gets a
// 400 the provider will not retry, instead of a 503 it would retry for days.

const ingress = ingressPerFile();

const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);

async function storedIds(): Promise<string[]> {
  const rows = await ingress.env.db.rows<{ event_id: string }>(
    'select event_id from webhook_events',
  );
  return rows.map((row) => row.event_id);
}

describe('bounded input', () => {
  it('stores an event at the limits: a 256-character ID, a 256-character type, 128 levels', async () => {
    const id = `evt_${'9'.repeat(252)}`;
    const body = JSON.stringify({
      ...paymentEvent('cus_bounds', 1, id),
      type: 't'.repeat(256),
      deep: nested(127),
    });
    const response = await ingress.app.inject(signedPayment(body));
    expect(response.statusCode, response.body).toBe(200);
    expect(await storedIds()).toContain(id);
  });

  it('refuses with 400, not 503, JSON deeper than Postgres can store', async () => {
    // Written out as text: JSON.stringify would overflow this test's own stack.
    const deep = `${'['.repeat(20_000)}${']'.repeat(20_000)}`;
    const body = JSON.stringify({ ...paymentEvent('cus_bounds', 1), deep: 0 }).replace(
      '"deep":0',
      `"deep":${deep}`,
    );
    const response = await ingress.app.inject(signedPayment(body));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'body nests deeper than 128 levels' });
  });

  it('refuses with 400 an event ID too long for the unique index', async () => {
    // Random hex does not compress: past the index's row limit as an ID, Postgres fails.
    const id = Buffer.from(Array.from({ length: 2_000 }, (_, i) => (i * 7919) % 256)).toString(
      'hex',
    );
    const response = await ingress.app.inject(
      signedPayment(JSON.stringify(paymentEvent('c', 1, id))),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'event ID is longer than 256 characters' });
    expect(await storedIds()).not.toContain(id);
  });

  it('takes the nesting limit from the deployment', async () => {
    const shallow = ingressFor(ingress.env, {
      sources: sourcesFrom([{ name: 'payments', provider: 'hmac', secret: PAYMENTS_SECRET }], {
        ...DEFAULT_EVENT_LIMITS,
        maxJsonDepth: 4,
      }),
    });
    try {
      const fits = JSON.stringify({ ...paymentEvent('c', 1), deep: nested(3) });
      const tooDeep = JSON.stringify({ ...paymentEvent('c', 1), deep: nested(4) });
      expect((await shallow.inject(signedPayment(fits))).statusCode).toBe(200);
      const refused = await shallow.inject(signedPayment(tooDeep));
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toEqual({ error: 'body nests deeper than 4 levels' });
    } finally {
      await shallow.close();
    }
  });
});

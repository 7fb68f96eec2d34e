import {
  environmentPerFile,
  ingressFor,
  PAYMENTS_SECRET,
  signedPayment,
  sourcesFrom,
} from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';

const env = environmentPerFile();

const PAYMENTS_ORDERED = {
  name: 'payments',
  provider: 'hmac',
  secret: PAYMENTS_SECRET,
  ordering: { key: 'data.customer_id', by: 'version' },
};

async function storedOrdering(eventId: string) {
  const [row] = await env.db.rows<{ ordering_key: string | null; ordering_value: string | null }>(
    'select ordering_key, ordering_value from webhook_events where event_id = $1',
    [eventId],
  );
  return row;
}

describe('the ordering key at ingest', () => {
  it('stores the key and value its source’s ordering gives the payload', async () => {
    const app = ingressFor(env, { sources: sourcesFrom([PAYMENTS_ORDERED]) });
    try {
      const body = {
        id: 'ord_1',
        type: 'payment.succeeded',
        version: 3,
        data: { customer_id: 'cus_9' },
      };
      expect((await app.inject(signedPayment(JSON.stringify(body)))).statusCode).toBe(200);
      expect(await storedOrdering('ord_1')).toEqual({ ordering_key: 'cus_9', ordering_value: '3' });

      // No key in the payload: unordered. A key without its value: ordered, by arrival.
      const keyless = { id: 'ord_2', type: 'payment.succeeded', data: {} };
      expect((await app.inject(signedPayment(JSON.stringify(keyless)))).statusCode).toBe(200);
      expect(await storedOrdering('ord_2')).toEqual({ ordering_key: null, ordering_value: null });
      const valueless = { id: 'ord_3', type: 'payment.succeeded', data: { customer_id: 'cus_9' } };
      expect((await app.inject(signedPayment(JSON.stringify(valueless)))).statusCode).toBe(200);
      expect(await storedOrdering('ord_3')).toEqual({
        ordering_key: 'cus_9',
        ordering_value: null,
      });
    } finally {
      await app.close();
    }
  });

  it('stores nothing for a source without ordering', async () => {
    const app = ingressFor(env);
    try {
      const body = {
        id: 'ord_4',
        type: 'payment.succeeded',
        version: 1,
        data: { customer_id: 'c' },
      };
      expect((await app.inject(signedPayment(JSON.stringify(body)))).statusCode).toBe(200);
      expect(await storedOrdering('ord_4')).toEqual({ ordering_key: null, ordering_value: null });
    } finally {
      await app.close();
    }
  });
});

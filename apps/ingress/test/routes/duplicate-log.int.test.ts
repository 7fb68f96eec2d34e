import { capturedLog, ingressPerFile, paymentEvent, signedPayment } from '@webhook-inbox/testing';
import { describe, expect, it } from 'vitest';

// What an operator (and the metrics) read of duplicates: the request's log line names the key
// that made it one, and a changed body under a stored event ID is flagged with both digests.

const { log, lines } = capturedLog();
const ingress = ingressPerFile({ log });

const requestLines = () => lines.filter((line) => line.msg === 'webhook');

describe('duplicate log fields', () => {
  it('logs the duplicate key, and a conflicting body with both digests and no payload', async () => {
    const event = paymentEvent('cus_log', 100);
    const body = JSON.stringify(event);
    const changed = JSON.stringify({ ...event, data: { ...event.data, amount: 999_999 } });
    expect((await ingress.app.inject(signedPayment(body))).json()).toEqual({
      received: true,
      duplicate: false,
    });
    expect((await ingress.app.inject(signedPayment(body))).json()).toEqual({
      received: true,
      duplicate: true,
    });
    expect((await ingress.app.inject(signedPayment(changed))).statusCode).toBe(200);

    const [first, repeat, conflicting] = requestLines().slice(-3);
    expect(first).toMatchObject({ eventId: event.id, duplicate: false });
    expect(first).not.toHaveProperty('duplicateKey');
    expect(repeat).toMatchObject({ duplicate: true, duplicateKey: 'event_id' });
    expect(repeat).not.toHaveProperty('conflicting');
    expect(conflicting).toMatchObject({
      duplicate: true,
      duplicateKey: 'event_id',
      conflicting: true,
    });

    const warning = lines.find((line) => line.storedSha256 !== undefined);
    expect(warning).toMatchObject({
      level: 40,
      eventId: event.id,
      duplicateKey: 'event_id',
      storedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      receivedSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(JSON.stringify(warning)).not.toContain('999999');
  });
});

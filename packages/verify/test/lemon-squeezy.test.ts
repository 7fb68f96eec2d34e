import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { lemonSqueezySignature } from './signers.ts';
import { fixture, incoming, verifier } from './support.ts';

const SECRET = 'lemon-current-secret';
const body = fixture('lemon-squeezy-order_created.json');
const check = (payload: Buffer) =>
  verifier('lemon-squeezy', [SECRET]).verify(
    incoming({
      headers: {
        'X-Signature': lemonSqueezySignature(SECRET, payload),
        'X-Event-Name': 'order_created',
      },
      body: payload,
      url: '/',
    }),
  );

describe('lemon-squeezy', () => {
  it('names an event by the SHA-256 of its bytes (Lemon Squeezy sends no event ID)', () => {
    const sha = createHash('sha256').update(body).digest('hex');
    expect(check(body)).toMatchObject({
      kind: 'event',
      event: { eventId: sha, eventType: 'order_created' },
    });
  });

  it('keeps two updates of one order apart', () => {
    const later = Buffer.from(
      body.toString('utf8').replace('2026-06-01T11:59:55', '2026-06-01T12:05:00'),
    );
    const first = check(body);
    const second = check(later);
    if (first.kind !== 'event' || second.kind !== 'event') throw new Error('expected events');
    expect(first.event.eventId).not.toBe(second.event.eventId);
  });

  it('answers 400 for a verified body without meta.event_name', () => {
    expect(check(Buffer.from('{"data":{"id":"1"}}'))).toMatchObject({
      kind: 'rejected',
      reason: 'malformed_body',
    });
  });
});

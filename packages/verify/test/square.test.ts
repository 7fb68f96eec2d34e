import { describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { SQUARE_URL } from './cases/index.ts';
import { squareSignature } from './signers.ts';
import { fixture, incoming, reasonOf, verifier } from './support.ts';

const SECRET = 'square-current-signature-key';
const body = fixture('square-payment.updated.json');
const request = (signature: string, payload: Buffer | string = body) =>
  incoming({
    headers: { 'x-square-hmacsha256-signature': signature },
    body: Buffer.from(payload),
    url: '/webhooks/square',
  });

describe('square', () => {
  it("verifies Square's documented example (whose body has no event_id: a 400, not a 401)", () => {
    const documented = verifier('square', ['asdf1234'], {
      notificationUrl: 'https://example.com/webhook',
    });
    const result = documented.verify(
      request('2kRE5qRU2tR+tBGlDwMEw2avJ7QM4ikPYD/PJ3bd9Og=', '{"hello":"world"}'),
    );
    expect(result).toMatchObject({ kind: 'rejected', reason: 'malformed_body' });
  });

  it('signs the notification URL as configured, byte for byte', () => {
    const square = verifier('square', [SECRET], { notificationUrl: SQUARE_URL });
    expect(square.verify(request(squareSignature(SECRET, SQUARE_URL, body))).kind).toBe('event');
    const slash = squareSignature(SECRET, `${SQUARE_URL}/`, body);
    expect(reasonOf(square.verify(request(slash)))).toBe('no_matching_secret');
  });

  it('needs the notification URL', () => {
    expect(() => createVerifier('square', undefined, [SECRET])).toThrow(/notificationUrl/);
  });
});

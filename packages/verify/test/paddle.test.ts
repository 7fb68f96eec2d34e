import { Paddle } from '@paddle/paddle-node-sdk';
import { describe, expect, it } from 'vitest';
import { paddleSignature } from './signers.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, unixSeconds, verifier } from './support.ts';

const SECRET = 'pdl_ntfset_01hv8x0f1s4wtq0h0rqa6x2k9c_current';
const body = fixture('paddle-transaction.completed.json');
const check = (header: string, now = NOW, options?: Record<string, unknown>) =>
  verifier('paddle', [SECRET], options).verify(
    incoming({ headers: { 'Paddle-Signature': header }, body, url: '/webhooks/paddle' }, now),
  );

describe('paddle', () => {
  it("signs as Paddle does: our test signer's output passes Paddle's SDK, and ours", async () => {
    const now = new Date();
    const header = paddleSignature(SECRET, unixSeconds(now), body);
    // Constructing the client is what installs the SDK's Node crypto.
    const { webhooks } = new Paddle('pdl_sdbx_apikey_oracle');
    expect(await webhooks.isSignatureValid(body.toString('utf8'), SECRET, header)).toBe(true);
    expect(await webhooks.isSignatureValid(body.toString('utf8'), 'another', header)).toBe(false);
    expect(check(header, now)).toMatchObject({
      kind: 'event',
      event: { eventId: 'evt_01hv8x2acma2gz6he8kg3a2ys1', eventType: 'transaction.completed' },
    });
  });

  it('accepts any h1 of several (a secret being rotated)', () => {
    const ts = unixSeconds(NOW);
    const other = paddleSignature('previous', ts, body).split(';')[1];
    const mine = paddleSignature(SECRET, ts, body).split(';')[1];
    expect(check(`ts=${ts};${other};${mine}`).kind).toBe('event');
  });

  it('allows 60 s by default (Paddle’s SDKs allow 5 s) and takes another window from options', () => {
    const old = paddleSignature(SECRET, unixSeconds(secondsFrom(NOW, -30)), body);
    expect(check(old).kind).toBe('event');
    expect(reasonOf(check(old, NOW, { toleranceSeconds: 5 }))).toBe('stale_timestamp');
  });

  it('treats a header without ts or h1 as malformed', () => {
    const header = paddleSignature(SECRET, unixSeconds(NOW), body);
    expect(reasonOf(check(header.replace(/^ts=\d+;/, '')))).toBe('malformed_signature');
    expect(reasonOf(check(header.replace(/;h1=.*$/, '')))).toBe('malformed_signature');
  });
});

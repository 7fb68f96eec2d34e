import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { fixture, incoming, NOW, reasonOf, unixSeconds, verifier } from './support.ts';

const SECRET = 'whsec_test_stripe_current';
const OLD = 'whsec_test_stripe_previous';
const body = fixture('stripe-payment_intent.succeeded.json');
const stripe = new Stripe('sk_test_oracle');
const t = unixSeconds(NOW);

const signed = (header: string) =>
  verifier('stripe', [SECRET]).verify(
    incoming({ headers: { 'Stripe-Signature': header }, body, url: '/webhooks/stripe' }),
  );
const v1 = (secret: string, at = t) =>
  stripe.webhooks
    .generateTestHeaderString({ payload: body.toString('utf8'), secret, timestamp: at })
    .split(',')[1];

describe('stripe', () => {
  it("agrees with Stripe's SDK: what it signs we accept, and its own verifier accepts it too", () => {
    const header = stripe.webhooks.generateTestHeaderString({
      payload: body.toString('utf8'),
      secret: SECRET,
      timestamp: t,
    });
    expect(() =>
      stripe.webhooks.constructEvent(body, header, SECRET, 300, undefined, NOW.getTime()),
    ).not.toThrow();
    expect(signed(header).kind).toBe('event');
  });

  it('keys the HMAC with the whole whsec_ string, prefix included', () => {
    const stripped = verifier('stripe', [SECRET.slice('whsec_'.length)]);
    const header = `t=${t},${v1(SECRET)}`;
    const request = incoming({ headers: { 'stripe-signature': header }, body, url: '/' });
    expect(reasonOf(stripped.verify(request))).toBe('no_matching_secret');
  });

  it('accepts any v1 of several (Stripe sends one per active secret) and ignores other schemes', () => {
    expect(signed(`t=${t},${v1(OLD)},${v1(SECRET)}`).kind).toBe('event');
    expect(signed(`t=${t},v0=deadbeef,${v1(SECRET)},v2=zz`).kind).toBe('event');
  });

  it.each([
    ['no timestamp', () => v1(SECRET) ?? ''],
    ['no v1', () => `t=${t},v0=${'ab'.repeat(32)}`],
    ['a timestamp that is not a number', () => `t=soon,${v1(SECRET)}`],
    ['two timestamps', () => `t=${t},t=${t},${v1(SECRET)}`],
    ['a v1 that is not hex', () => `t=${t},v1=not-hex`],
  ])('treats a header with %s as malformed', (_name, header) => {
    expect(reasonOf(signed(header()))).toBe('malformed_signature');
  });

  it('takes its replay window from options', () => {
    const old = `t=${t - 400},${v1(SECRET, t - 400)}`;
    expect(reasonOf(signed(old))).toBe('stale_timestamp');
    const patient = verifier('stripe', [SECRET], { toleranceSeconds: 600 });
    const request = incoming({ headers: { 'stripe-signature': old }, body, url: '/' });
    expect(patient.verify(request).kind).toBe('event');
  });

  it('checks the signature before the clock: a forged old request is a forgery', () => {
    const forged = `t=${t - 4000},v1=${'ab'.repeat(32)}`;
    expect(reasonOf(signed(forged))).toBe('no_matching_secret');
  });
});

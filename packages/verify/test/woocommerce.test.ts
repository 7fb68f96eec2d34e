import { woocommerceSignature } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { incoming, reasonOf, verifier } from './support.ts';

const SECRET = 'woocommerce_webhook_secret';
const FORM = 'application/x-www-form-urlencoded';
const woocommerce = verifier('woocommerce', [SECRET]);

const post = (contentType: string, body: string, headers: Record<string, string> = {}) =>
  woocommerce.verify(
    incoming({
      url: '/webhooks/shop',
      headers: { 'Content-Type': contentType, ...headers },
      body: Buffer.from(body),
    }),
  );

describe('woocommerce', () => {
  it('answers the unsigned ping sent when a webhook is saved, storing nothing', () => {
    expect(post(FORM, 'webhook_id=42')).toEqual({ kind: 'respond', body: {} });
    expect(woocommerce.acceptsContentType(FORM)).toBe(true);
  });

  it('answers nothing else unsigned', () => {
    expect(reasonOf(post(FORM, 'webhook_id=42&status=paid'))).toBe('missing_signature');
    expect(reasonOf(post(FORM, 'webhook_id=x'))).toBe('missing_signature');
    expect(reasonOf(post('application/json', 'webhook_id=42'))).toBe('missing_signature');
  });

  it('checks a signed request as an event, whatever its body looks like', () => {
    const body = 'webhook_id=42';
    const signed = { 'X-WC-Webhook-Signature': woocommerceSignature('another secret', body) };
    expect(reasonOf(post(FORM, body, signed))).toBe('no_matching_secret');
  });
});

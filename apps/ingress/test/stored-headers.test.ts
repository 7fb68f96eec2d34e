import { isCredentialHeader } from '@webhook-inbox/credential-headers';
import { describe, expect, it } from 'vitest';
import { storedHeaders } from '../src/stored-headers.ts';

describe('stored headers', () => {
  it.each([
    'authorization',
    'proxy-authorization',
    'cookie',
    'x-auth',
    'x-oauth-token',
    'x-amz-security-token',
    'i-twilio-idempotency-token',
    'x-webhook-secret',
    'x-hub-signature',
    'x-hub-signature-256',
    'stripe-signature',
    'x-square-hmacsha256-signature',
    'x-shopify-hmac-sha256',
    'shopify-hmac-sha256',
    'x-sig',
    'sig',
    'x-api-key',
    'apikey',
    'x-apikey-id',
    'x-key',
    'x-password',
    'x-passwd',
    'x-pass',
    'x-credentials',
    'x-session',
    'x-jwt',
    'X_Client_Secret',
    'x-passphrase',
    'x-passcode',
    'x-privatekey',
    'x-private',
    'x-pwd',
    'x-otp',
    'x-mfa-code',
    'x-sig256',
    'x-sas',
    'x-keys',
    'plaid-verification',
    'x-twilio-signature',
  ])('drops %s, a credential by its name', (name) => {
    expect(isCredentialHeader(name)).toBe(true);
    expect(storedHeaders({ [name]: 'value' }, [])).toEqual({});
  });

  it.each([
    'content-type',
    'user-agent',
    'x-github-delivery',
    'x-github-event',
    'x-shopify-topic',
    'x-shopify-webhook-id',
    'webhook-id',
    'webhook-timestamp',
    'x-slack-request-timestamp',
    'linear-delivery',
    'x-design-id',
    'keep-alive',
    'x-request-id',
  ])('keeps %s', (name) => {
    expect(isCredentialHeader(name)).toBe(false);
    expect(storedHeaders({ [name]: 'value' }, [])).toEqual({ [name]: 'value' });
  });

  it("drops a provider's own credential headers whatever their name", () => {
    const headers = { 'x-polka-proof': 'abc', 'content-type': 'application/json' };
    expect(storedHeaders(headers, ['x-polka-proof'])).toEqual({
      'content-type': 'application/json',
    });
  });

  it('joins a repeated header and skips an absent one', () => {
    expect(storedHeaders({ 'x-forwarded-for': ['a', 'b'], 'x-none': undefined }, [])).toEqual({
      'x-forwarded-for': 'a, b',
    });
  });
});

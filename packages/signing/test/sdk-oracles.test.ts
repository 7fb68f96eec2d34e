import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  githubSignature,
  signSample,
  standardWebhooksSignature,
  stripeSignature,
  twilioSignature,
} from '../src/index.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const SECONDS = Math.floor(AT.getTime() / 1000);
const BODY = '{"id":"evt_1","type":"payment.succeeded","amount":4900}';

/** Where a provider's own SDK can sign, ours must produce the same header byte for byte. */
describe("signers agree with the providers' SDKs", () => {
  it('stripe', () => {
    const secret = 'whsec_test_secret';
    const sdk = new Stripe('sk_test_oracle').webhooks.generateTestHeaderString({
      payload: BODY,
      secret,
      timestamp: SECONDS,
    });
    expect(stripeSignature(secret, SECONDS, BODY)).toBe(sdk);
  });

  it('github', async () => {
    const secret = "It's a Secret to Everybody";
    expect(githubSignature(secret, BODY)).toBe(await githubSign(secret, BODY));
  });

  it('standard webhooks', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const sdk = new StandardWebhook(secret).sign('msg_1', AT, BODY);
    expect(standardWebhooksSignature(secret, 'msg_1', SECONDS, BODY)).toBe(sdk);
  });

  it('twilio', () => {
    const token = '12345678901234567890123456789012';
    const url = 'https://hooks.example.com/webhooks/twilio';
    const params = { MessageSid: 'SM1', Body: 'Café at 9?', From: '+15558675310' };
    expect(twilioSignature(token, url, params)).toBe(
      twilio.getExpectedTwilioSignature(token, url, params),
    );
  });
});

describe('samples', () => {
  it('signs a twilio sample for the public URL Twilio would request', () => {
    const token = '12345678901234567890123456789012';
    const signed = signSample(
      {
        name: 'sms',
        provider: 'twilio',
        secret: token,
        options: { publicUrl: 'https://h.example/' },
      },
      { id: 'tok_1' },
      AT,
    );
    if (!signed.ok) throw new Error(signed.error);
    const params = Object.fromEntries(new URLSearchParams(signed.request.body));
    expect(signed.request.path).toBe('/webhooks/sms');
    expect(signed.request.headers['X-Twilio-Signature']).toBe(
      twilio.getExpectedTwilioSignature(token, 'https://h.example/webhooks/sms', params),
    );
  });

  it('puts the ID and type where a generic source is configured to find them', () => {
    const signed = signSample(
      {
        name: 'acme',
        provider: 'hmac',
        secret: 's',
        options: { idHeader: 'X-Acme-Id', typeField: 'meta.kind', timestampField: 'sent_at' },
      },
      { id: 'acme_1', type: 'invoice.paid' },
      AT,
    );
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.request.headers['X-Acme-Id']).toBe('acme_1');
    expect(JSON.parse(signed.request.body)).toMatchObject({
      meta: { kind: 'invoice.paid' },
      sent_at: AT.toISOString(),
    });
  });

  it('says so for a provider it cannot sign for', () => {
    const signed = signSample({ name: 'x', provider: 'carrier-pigeon', secret: 's' }, {}, AT);
    expect(signed).toEqual({ ok: false, error: 'no sample signer for provider "carrier-pigeon"' });
  });
});

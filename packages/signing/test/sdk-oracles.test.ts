import Mux from '@mux/mux-node';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { WorkOS } from '@workos-inc/node';
import { Webhook as StandardWebhook } from 'standardwebhooks';
import Stripe from 'stripe';
import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import {
  githubSignature,
  muxSignature,
  standardWebhooksSignature,
  stripeSignature,
  twilioSignature,
  workosSignature,
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

  it('workos', async () => {
    const secret = 'workos_webhook_secret';
    const event = { id: 'event_1', event: 'user.created', data: { id: 'user_1' } };
    const body = JSON.stringify(event);
    const workos = new WorkOS('sk_test_oracle');
    const sdk = await workos.webhooks.computeSignature(AT.getTime(), event, secret);
    expect(workosSignature(secret, AT.getTime(), body)).toBe(`t=${AT.getTime()}, v1=${sdk}`);
    const now = new Date();
    await expect(
      workos.webhooks.constructEvent({
        payload: event,
        sigHeader: workosSignature(secret, now.getTime(), body),
        secret,
      }),
    ).resolves.toMatchObject({ id: 'event_1', event: 'user.created' });
  });

  it('mux: its SDK verifies what we sign, and nothing else', async () => {
    const secret = 'mux_signing_secret';
    const mux = new Mux({ tokenId: 'oracle', tokenSecret: 'oracle' });
    const now = Math.floor(Date.now() / 1000);
    const verify = (signature: string) =>
      mux.webhooks.verifySignature(BODY, { 'mux-signature': signature }, secret);
    await expect(verify(muxSignature(secret, now, BODY))).resolves.toBeUndefined();
    await expect(verify(muxSignature('another secret', now, BODY))).rejects.toThrow();
  });
});

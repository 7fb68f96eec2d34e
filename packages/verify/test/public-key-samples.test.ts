import { EventWebhook } from '@sendgrid/eventwebhook';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { verifyKey } from 'discord-interactions';
import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';

const AT = new Date('2026-06-01T12:00:00Z');

function sample(provider: keyof typeof SAMPLE_KEYS, event = {}) {
  const signed = signSample(
    { name: provider, provider, secret: SAMPLE_KEYS[provider].configured },
    event,
    AT,
  );
  if (!signed.ok) throw new Error(signed.error);
  return signed.request;
}

/** `send` for the public-key providers: samples signed with the published sample keys. */
describe('public-key samples', () => {
  it('discord: discord-interactions accepts the sample, an interaction or a webhook event', async () => {
    for (const event of [{}, { type: 'APPLICATION_AUTHORIZED' }]) {
      const request = sample('discord', event);
      const ok = await verifyKey(
        request.body,
        request.headers['X-Signature-Ed25519'] ?? '',
        request.headers['X-Signature-Timestamp'] ?? '',
        SAMPLE_KEYS.discord.configured,
      );
      expect(ok).toBe(true);
    }
    expect(JSON.parse(sample('discord', { type: 'APPLICATION_AUTHORIZED' }).body)).toMatchObject({
      type: 1,
      event: { type: 'APPLICATION_AUTHORIZED' },
    });
  });

  it('sendgrid: @sendgrid/eventwebhook accepts the sample, a batch of one', () => {
    const request = sample('sendgrid', { type: 'bounce', id: 'sg_1' });
    const sdk = new EventWebhook();
    expect(
      sdk.verifySignature(
        sdk.convertPublicKeyToECDSA(SAMPLE_KEYS.sendgrid.configured),
        request.body,
        request.headers['X-Twilio-Email-Event-Webhook-Signature'] ?? '',
        request.headers['X-Twilio-Email-Event-Webhook-Timestamp'] ?? '',
      ),
    ).toBe(true);
    expect(JSON.parse(request.body)).toMatchObject([{ event: 'bounce', sg_event_id: 'sg_1' }]);
  });

  it('telnyx and standard-webhooks v1a: the sample carries the type and ID asked for', () => {
    expect(JSON.parse(sample('telnyx', { type: 'call.hangup', id: 'ev_1' }).body)).toMatchObject({
      data: { event_type: 'call.hangup', id: 'ev_1' },
    });
    const v1a = sample('standard-webhooks', { id: 'msg_1' });
    expect(v1a.headers['webhook-signature']).toMatch(/^v1a,[A-Za-z0-9+/]{86}==$/);
  });

  it("says what to do for a source whose key is the provider's own, not the sample's", () => {
    const signed = signSample(
      { name: 'bot', provider: 'discord', secret: 'ab'.repeat(32) },
      {},
      AT,
    );
    expect(signed).toEqual({
      ok: false,
      error: `send signs discord samples with the published sample key only, and only discord holds the private half of the source's key: to try it locally, configure a source with the sample public key ${SAMPLE_KEYS.discord.configured}`,
    });
  });
});

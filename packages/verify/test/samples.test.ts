import twilio from 'twilio';
import { describe, expect, it } from 'vitest';
import { createVerifier, PROVIDERS, signSample } from '../src/index.ts';
import { incoming, NOW, reasonOf, secondsFrom } from './support.ts';

/** A batched provider's sample is a batch of one event; anyone else's is that event. */
const ACCEPTED = new Set(['event', 'batch']);
const acceptedAs = (kind: string) => (ACCEPTED.has(kind) ? 'event' : kind);

const AT = NOW;

/** Each registered provider's own sample, verified by its own verifier: module and registry agree. */
describe.each(PROVIDERS.filter((p) => p.sample !== undefined))('$name module', (provider) => {
  const secret = provider.sampleSecret ?? 'a-secret-long-enough-for-hmac';
  const options = provider.sampleOptions ?? provider.requiredOptions;
  const build = () => createVerifier(provider.name, options, [secret]);
  const signed = (at: Date) => {
    const result = signSample(
      { name: `sample-${provider.name}`, provider: provider.name, secret, options },
      { id: 'sample-id-1' },
      at,
    );
    if (!result.ok) throw new Error(result.error);
    const { path, headers, body } = result.request;
    return incoming({ headers, body: Buffer.from(body), url: path }, NOW);
  };

  it('verifies the sample its own signer makes', async () => {
    const result = await build().verify(signed(AT));
    expect(acceptedAs(result.kind)).toBe('event');
    if (result.kind === 'batch') expect(result.events).toHaveLength(1);
  });

  it('declares the credential headers its verifier reports', () => {
    expect([...build().credentialHeaders].sort()).toEqual([...provider.credentialHeaders].sort());
  });

  it(
    provider.signedTimestamp
      ? 'refuses its sample a day later: the signed timestamp is always checked'
      : 'accepts its sample a day later: nothing in it is timed',
    async () => {
      const result = await build().verify(signed(secondsFrom(AT, -86_400)));
      expect(acceptedAs(reasonOf(result))).toBe(
        provider.signedTimestamp ? 'stale_timestamp' : 'event',
      );
    },
  );
});

describe('signSample', () => {
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

  it('signs a generic source configured with a t=…,v1=… list header as it verifies it', async () => {
    const options = {
      header: 'X-Vendor-Signature',
      signatureKey: 'v1',
      timestampKey: 't',
      signed: '{timestamp}.{body}',
    };
    const signed = signSample({ name: 'vendor', provider: 'hmac', secret: 's', options }, {}, AT);
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.request.headers['X-Vendor-Signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const { headers, body, path } = signed.request;
    const result = await createVerifier('hmac', options, ['s']).verify(
      incoming({ headers, body: Buffer.from(body), url: path }, NOW),
    );
    expect(result.kind).toBe('event');
  });

  it('says so for a provider it cannot sign for', () => {
    const signed = signSample({ name: 'x', provider: 'carrier-pigeon', secret: 's' }, {}, AT);
    expect(signed).toEqual({ ok: false, error: 'no sample signer for provider "carrier-pigeon"' });
  });

  it('says what to do instead for a provider whose key only it holds', () => {
    const signed = signSample({ name: 'p', provider: 'plaid', secret: 's' }, {}, AT);
    expect(signed).toEqual({
      ok: false,
      error:
        'provider "plaid" signs with a key only it holds, so no sample can be signed here: have plaid send a test webhook (its dashboard or sandbox)',
    });
  });
});

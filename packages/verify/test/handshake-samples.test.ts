import { createHmac } from 'node:crypto';
import { zoomEncryptedToken } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import { signHandshake, signSample } from '../src/index.ts';

const AT = new Date('2026-06-01T12:00:00Z');
const source = (provider: string, options?: Record<string, string>) => ({
  name: provider,
  provider,
  secret: 'sample-secret-0123456789',
  options,
});

describe('handshake samples', () => {
  it("zoom's validation signs as its events do, over a plain token to encrypt", () => {
    const signed = signHandshake(source('zoom'), AT);
    if (!signed.ok) throw new Error(signed.error);
    const body = JSON.parse(signed.request.body);
    expect(body.event).toBe('endpoint.url_validation');
    const expected = createHmac('sha256', 'sample-secret-0123456789')
      .update(`v0:${AT.getTime() / 1000}:${signed.request.body}`)
      .digest('hex');
    expect(signed.request.headers['x-zm-signature']).toBe(`v0=${expected}`);
    expect(zoomEncryptedToken('sample-secret-0123456789', body.payload.plainToken)).toBe(
      createHmac('sha256', 'sample-secret-0123456789')
        .update(body.payload.plainToken)
        .digest('hex'),
    );
  });

  it("meta's check is a GET carrying the source's verify token", () => {
    const signed = signHandshake(source('meta', { verifyToken: 'my-token' }), AT);
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.request.method).toBe('GET');
    const query = new URL(signed.request.path, 'http://x').searchParams;
    expect(query.get('hub.mode')).toBe('subscribe');
    expect(query.get('hub.verify_token')).toBe('my-token');
    expect(query.get('hub.challenge')).toMatch(/^\d+$/);
  });

  it("twitch's verification is signed over message ID, timestamp and body", () => {
    const signed = signHandshake(source('twitch'), AT);
    if (!signed.ok) throw new Error(signed.error);
    const { headers, body } = signed.request;
    const expected = createHmac('sha256', 'sample-secret-0123456789')
      .update(
        `${headers['Twitch-Eventsub-Message-Id']}${headers['Twitch-Eventsub-Message-Timestamp']}${body}`,
      )
      .digest('hex');
    expect(headers['Twitch-Eventsub-Message-Signature']).toBe(`sha256=${expected}`);
    expect(headers['Twitch-Eventsub-Message-Type']).toBe('webhook_callback_verification');
  });

  it('says what to do for a provider whose handshake only it can send', () => {
    expect(signHandshake(source('aws-sns'), AT)).toEqual({
      ok: false,
      error:
        'provider "aws-sns" sends a handshake only it can make: subscribe the endpoint with aws-sns to get one, or send an event instead',
    });
  });

  it('says so for a provider that sends none', () => {
    expect(signHandshake(source('stripe'), AT)).toEqual({
      ok: false,
      error: 'provider "stripe" sends no handshake: send an event instead',
    });
  });

  it('still signs events for every handshake provider', () => {
    for (const provider of ['zoom', 'twitch', 'meta', 'dropbox', 'microsoft-graph', 'okta']) {
      expect(signSample(source(provider), {}, AT).ok).toBe(true);
    }
  });
});

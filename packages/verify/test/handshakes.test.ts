import { twitchSignature, zoomEncryptedToken } from '@webhook-inbox/signing';
import { describe, expect, it } from 'vitest';
import {
  HANDSHAKE_PROVIDER_CASES,
  META_VERIFY_TOKEN,
  TWITCH_MESSAGE_ID,
  twitchHeaders,
  zoomHeaders,
} from './cases/handshake-providers.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, verifier } from './support.ts';

const caseOf = (provider: string) => {
  const found = HANDSHAKE_PROVIDER_CASES.find((c) => c.provider === provider);
  if (!found) throw new Error(`no ${provider} case`);
  return found;
};

/** A GET as the provider sends it: no body, everything in the URL and headers. */
const get = (url: string, headers: Record<string, string> = {}) =>
  incoming({ url, headers, body: Buffer.alloc(0) });

describe("zoom's endpoint.url_validation", () => {
  const zoom = caseOf('zoom');
  const body = fixture('zoom-url_validation.json');
  const validation = (secret: string, at = NOW) =>
    incoming({ url: '/webhooks/zoom', headers: zoomHeaders(secret, at, body), body });

  it('is answered with the plain token and its HMAC under the secret', () => {
    expect(verifier('zoom', [zoom.secret]).verify(validation(zoom.secret))).toEqual({
      kind: 'respond',
      body: {
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: zoomEncryptedToken(zoom.secret, 'qgg8vlvZRS6UYooatFL8Aw'),
      },
    });
  });

  it('is answered under the secret that signed it while one is rotated out', () => {
    const both = verifier('zoom', [zoom.otherSecret, zoom.secret]);
    for (const secret of [zoom.secret, zoom.otherSecret]) {
      const answer = both.verify(validation(secret));
      expect(answer).toMatchObject({
        body: { encryptedToken: zoomEncryptedToken(secret, 'qgg8vlvZRS6UYooatFL8Aw') },
      });
    }
  });

  it('is refused, not answered, when unsigned, wrongly signed or stale', () => {
    const zoomVerifier = verifier('zoom', [zoom.secret]);
    const unsigned = incoming({ url: '/webhooks/zoom', headers: {}, body });
    expect(reasonOf(zoomVerifier.verify(unsigned))).toBe('missing_signature');
    expect(reasonOf(zoomVerifier.verify(validation(zoom.otherSecret)))).toBe('no_matching_secret');
    const stale = validation(zoom.secret, secondsFrom(NOW, -301));
    expect(reasonOf(zoomVerifier.verify(stale))).toBe('stale_timestamp');
  });

  it('is never stored, even without a plain token to answer', () => {
    const empty = Buffer.from('{"payload":{},"event_ts":1,"event":"endpoint.url_validation"}');
    const request = incoming({
      url: '/webhooks/zoom',
      headers: zoomHeaders(zoom.secret, NOW, empty),
      body: empty,
    });
    expect(reasonOf(verifier('zoom', [zoom.secret]).verify(request))).toBe('malformed_body');
  });
});

describe("twitch's messages", () => {
  const twitch = caseOf('twitch');
  const message = (file: string, type: string, secret = twitch.secret) => {
    const body = fixture(file);
    return incoming({
      url: '/webhooks/twitch',
      headers: twitchHeaders(secret, NOW, body, type),
      body,
    });
  };
  const verify = (request: ReturnType<typeof message>) =>
    verifier('twitch', [twitch.secret]).verify(request);

  it('answers webhook_callback_verification with the raw challenge', () => {
    const request = message(
      'twitch-webhook_callback_verification.json',
      'webhook_callback_verification',
    );
    expect(verify(request)).toEqual({ kind: 'respond', body: 'pogchamp-kappa-360noscope-vohiyo' });
  });

  it('refuses a verification it cannot verify, and never stores one without a challenge', () => {
    const forged = message(
      'twitch-webhook_callback_verification.json',
      'webhook_callback_verification',
      twitch.otherSecret,
    );
    expect(reasonOf(verify(forged))).toBe('no_matching_secret');
    const noChallenge = message('twitch-channel.follow.json', 'webhook_callback_verification');
    expect(reasonOf(verify(noChallenge))).toBe('malformed_body');
  });

  it('stores a revocation as an event of its own type', () => {
    expect(verify(message('twitch-revocation.json', 'revocation'))).toMatchObject({
      kind: 'event',
      event: { eventId: TWITCH_MESSAGE_ID, eventType: 'revocation' },
    });
  });

  it('reads the nanosecond RFC 3339 timestamps Twitch sends, and drops them after ten minutes', () => {
    const body = fixture('twitch-channel.follow.json');
    const sentAt = (timestamp: string) =>
      incoming({
        url: '/webhooks/twitch',
        headers: {
          ...twitchHeaders(twitch.secret, NOW, body),
          'Twitch-Eventsub-Message-Timestamp': timestamp,
          'Twitch-Eventsub-Message-Signature': twitchSignature(
            twitch.secret,
            TWITCH_MESSAGE_ID,
            timestamp,
            body,
          ),
        },
        body,
      });
    expect(verify(sentAt('2026-06-01T11:50:01.634234626Z')).kind).toBe('event');
    expect(reasonOf(verify(sentAt('2026-06-01T11:49:59.634234626Z')))).toBe('stale_timestamp');
  });
});

describe("meta's GET hub.challenge", () => {
  const meta = verifier('meta', ['meta-app-secret'], { verifyToken: META_VERIFY_TOKEN });
  const check = (query: string) => meta.handshake?.(get(`/webhooks/meta?${query}`));

  it('is answered with the challenge when the verify token matches', () => {
    const query = `hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=${META_VERIFY_TOKEN}`;
    expect(check(query)).toEqual({ kind: 'respond', body: '1158201444' });
  });

  it('is refused with a wrong, missing or repeated verify token', () => {
    const base = 'hub.mode=subscribe&hub.challenge=1158201444';
    expect(check(`${base}&hub.verify_token=guess`)).toMatchObject({
      reason: 'wrong_verify_token',
    });
    expect(check(base)).toMatchObject({ reason: 'missing_signature' });
    const twice = `${base}&hub.verify_token=${META_VERIFY_TOKEN}&hub.verify_token=guess`;
    expect(check(twice)).toMatchObject({ reason: 'missing_signature' });
  });

  it('is refused without hub.mode=subscribe or a challenge', () => {
    expect(
      check(`hub.mode=unsubscribe&hub.challenge=1&hub.verify_token=${META_VERIFY_TOKEN}`),
    ).toMatchObject({ reason: 'malformed_body' });
    expect(check(`hub.mode=subscribe&hub.verify_token=${META_VERIFY_TOKEN}`)).toMatchObject({
      reason: 'malformed_body',
    });
  });

  it('needs a verify token configured', () => {
    expect(() => verifier('meta', ['meta-app-secret'])).toThrow(/verifyToken/);
  });
});

describe("dropbox's GET challenge", () => {
  const dropbox = verifier('dropbox', ['dropbox-app-secret']);

  it('is echoed as sent', () => {
    expect(dropbox.handshake?.(get('/webhooks/dropbox?challenge=Xd1b3C%2Bz'))).toEqual({
      kind: 'respond',
      body: 'Xd1b3C+z',
    });
  });

  it('is refused without a challenge', () => {
    expect(dropbox.handshake?.(get('/webhooks/dropbox'))).toMatchObject({
      reason: 'malformed_body',
    });
  });
});

describe("okta's verification challenge", () => {
  const okta = caseOf('okta');
  const hook = verifier('okta', [okta.secret]);
  const challenge = { 'x-okta-verification-challenge': 'rVBAlYx9BZqhRLhFJaN4oYqhT2rZ' };

  it('is answered as {"verification": …}, with the hook header or without it', () => {
    const answer = { kind: 'respond', body: { verification: 'rVBAlYx9BZqhRLhFJaN4oYqhT2rZ' } };
    expect(hook.handshake?.(get('/webhooks/okta', challenge))).toEqual(answer);
    const authorized = { ...challenge, authorization: okta.secret };
    expect(hook.handshake?.(get('/webhooks/okta', authorized))).toEqual(answer);
  });

  it('is refused with a wrong hook header or no challenge', () => {
    const wrong = { ...challenge, authorization: okta.otherSecret };
    expect(hook.handshake?.(get('/webhooks/okta', wrong))).toMatchObject({
      reason: 'no_matching_secret',
    });
    expect(hook.handshake?.(get('/webhooks/okta'))).toMatchObject({ reason: 'malformed_body' });
  });

  it('reads the hook header a source names', () => {
    const custom = verifier('okta', [okta.secret], { header: 'X-Okta-Hook-Key' });
    expect(custom.credentialHeaders).toEqual(['x-okta-hook-key']);
  });
});

describe('providers without a GET handshake', () => {
  it.each(['stripe', 'zoom', 'twitch', 'microsoft-graph'] as const)('%s declares none', (name) => {
    expect(verifier(name, ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw']).handshake).toBeUndefined();
  });
});

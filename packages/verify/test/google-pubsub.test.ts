import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { incoming, NOW, reasonOf, secondsFrom, unixSeconds } from './support.ts';

const EMAIL = 'pusher@my-project.iam.gserviceaccount.com';
const AUDIENCE = 'https://inbox.example.com/webhooks/pubsub';
const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
const body = Buffer.from(
  JSON.stringify({
    message: {
      data: Buffer.from('{"order":"o_1"}').toString('base64'),
      messageId: '2070443601311540',
      publishTime: NOW.toISOString(),
      attributes: { eventType: 'order.paid' },
    },
    subscription: 'projects/my-project/subscriptions/inbox',
  }),
);

const server = new CertificateServer();
let jwksUrl = '';
beforeAll(async () => {
  await server.start();
  const jwk = {
    ...google.publicKey.export({ format: 'jwk' }),
    kid: 'k1',
    alg: 'RS256',
    use: 'sig',
  };
  jwksUrl = server.serve('/oauth2/v3/certs', JSON.stringify({ keys: [jwk] }));
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

const pubsub = (options: Record<string, unknown> = {}, emails = [EMAIL]) =>
  createVerifier('google-pubsub', { audience: AUDIENCE, jwksUrl, ...options }, emails);

interface Claims {
  aud?: string;
  iss?: string;
  email?: string;
  email_verified?: boolean;
  at?: Date;
  key?: KeyObject;
  alg?: string;
}

const token = (claims: Claims = {}) =>
  new SignJWT({
    email: claims.email ?? EMAIL,
    email_verified: claims.email_verified ?? true,
  })
    .setProtectedHeader({ alg: claims.alg ?? 'RS256', kid: 'k1', typ: 'JWT' })
    .setIssuer(claims.iss ?? 'https://accounts.google.com')
    .setAudience(claims.aud ?? AUDIENCE)
    .setIssuedAt(unixSeconds(claims.at ?? NOW))
    .setExpirationTime(unixSeconds(claims.at ?? NOW) + 3600)
    .sign(claims.key ?? google.privateKey);

const delivery = (authorization: string, payload = body) =>
  incoming({
    headers: { 'content-type': 'application/json', authorization },
    body: payload,
    url: '/webhooks/pubsub',
  });

describe('google-pubsub', () => {
  it("verifies Google's token, fetching the keys once, named by messageId", async () => {
    const verifier = pubsub();
    const bearer = `Bearer ${await token()}`;
    expect(await verifier.verify(delivery(bearer))).toEqual({
      kind: 'event',
      event: { eventId: '2070443601311540', eventType: 'pubsub.message', body: body.toString() },
    });
    expect(reasonOf(await verifier.verify(delivery(bearer)))).toBe('event');
    expect(server.requests).toEqual(['/oauth2/v3/certs']);
  });

  it('reads the type from the attribute configured, and refuses a message without it', async () => {
    const bearer = `Bearer ${await token()}`;
    expect(await pubsub({ typeAttribute: 'eventType' }).verify(delivery(bearer))).toMatchObject({
      event: { eventType: 'order.paid' },
    });
    expect(reasonOf(await pubsub({ typeAttribute: 'kind' }).verify(delivery(bearer)))).toBe(
      'malformed_body',
    );
  });

  it('refuses an expired token, or one not yet valid', async () => {
    const expired = await token({ at: secondsFrom(NOW, -3600 - 31) });
    expect(reasonOf(await pubsub().verify(delivery(`Bearer ${expired}`)))).toBe('stale_timestamp');
    const withinLeeway = await token({ at: secondsFrom(NOW, -3600 - 29) });
    expect(reasonOf(await pubsub().verify(delivery(`Bearer ${withinLeeway}`)))).toBe('event');
  });

  it('refuses another audience, issuer, service account, an unverified email, another key', async () => {
    const verifier = pubsub();
    const impostor = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    for (const claims of [
      { aud: 'https://other.example.com/' },
      { iss: 'https://evil.example.com' },
      { email: 'someone@other-project.iam.gserviceaccount.com' },
      { email_verified: false },
      { key: impostor },
    ]) {
      expect(reasonOf(await verifier.verify(delivery(`Bearer ${await token(claims)}`)))).toBe(
        'no_matching_secret',
      );
    }
  });

  it('refuses a missing, truncated or HS256 token', async () => {
    const verifier = pubsub();
    const good = await token();
    expect(reasonOf(await verifier.verify(delivery('')))).toBe('missing_signature');
    expect(reasonOf(await verifier.verify(delivery(good)))).toBe('missing_signature');
    expect(reasonOf(await verifier.verify(delivery(`Bearer ${good.slice(0, -10)}`)))).toBe(
      'no_matching_secret',
    );
    expect(reasonOf(await verifier.verify(delivery('Bearer not.a.jwt')))).toBe(
      'malformed_signature',
    );
    const hs256 = await new SignJWT({ email: EMAIL })
      .setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('a-secret-long-enough-for-hs256-0123'));
    expect(reasonOf(await verifier.verify(delivery(`Bearer ${hs256}`)))).toBe('no_matching_secret');
  });

  it('says when the keys do not answer in time', async () => {
    server.behaviour = 'slow';
    const result = await pubsub({ keyFetchTimeoutMs: 100 }).verify(
      delivery(`Bearer ${await token()}`),
    );
    expect(result).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      detail: "signing keys unavailable: Google's keys did not answer in time",
    });
  });

  it('says when the keys cannot be had', async () => {
    server.behaviour = 'failing';
    expect(await pubsub().verify(delivery(`Bearer ${await token()}`))).toMatchObject({
      reason: 'keys_unavailable',
      detail: "signing keys unavailable: Google's keys could not be fetched",
    });
  });

  it('verifies with a pinned JWKS without fetching', async () => {
    const jwks = {
      keys: [{ ...google.publicKey.export({ format: 'jwk' }), kid: 'k1', alg: 'RS256' }],
    };
    const pinned = pubsub({ jwks });
    expect(reasonOf(await pinned.verify(delivery(`Bearer ${await token()}`)))).toBe('event');
    expect(server.requests).toEqual([]);
  });

  it('needs an audience', () => {
    expect(() => createVerifier('google-pubsub', {}, [EMAIL])).toThrow(/audience/);
  });
});

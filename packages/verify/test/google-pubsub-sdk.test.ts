import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SAMPLE_JWKS } from '@webhook-inbox/signing';
import { OAuth2Client } from 'google-auth-library';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, signSample } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { incoming, reasonOf, unixSeconds } from './support.ts';

const PUSHER = 'pusher@sample-project.iam.gserviceaccount.com';
const AUDIENCE = 'https://inbox.example.com/webhooks/pubsub';
const SAMPLE_KID = 'webhook-inbox-sample';
const samplePublicKey = createPublicKey({ key: SAMPLE_JWKS.keys[0] as never, format: 'jwk' });
/** Google's signing key, as far as these tests go; and one Google does not publish. */
const googleKey = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pemOf = (key: typeof samplePublicKey) =>
  key.export({ type: 'spki', format: 'pem' }).toString();

// Google's keys on a local port: PEM by key ID, as JSON (what the library reads), and the same
// keys as a JWKS (what we read).
const google = new CertificateServer();
const pemServer = createServer((_, response) => {
  const pems = { [SAMPLE_KID]: pemOf(samplePublicKey), g1: pemOf(googleKey.publicKey) };
  response.writeHead(200, { 'content-type': 'application/json' });
  response.end(JSON.stringify(pems));
});
let jwksUrl = '';
let pemUrl = '';
beforeAll(async () => {
  await google.start();
  const jwk = { ...googleKey.publicKey.export({ format: 'jwk' }), kid: 'g1', alg: 'RS256' };
  jwksUrl = google.serve('/oauth2/v3/certs', JSON.stringify({ keys: [...SAMPLE_JWKS.keys, jwk] }));
  await new Promise<void>((resolve) => pemServer.listen(0, '127.0.0.1', resolve));
  pemUrl = `http://127.0.0.1:${(pemServer.address() as AddressInfo).port}/oauth2/v1/certs`;
});
afterAll(async () => {
  await google.stop();
  await new Promise((resolve) => pemServer.close(resolve));
});

/**
 * The receiver in Google's Pub/Sub push-authentication docs (Node): google-auth-library's
 * `verifyIdToken({ idToken, audience })`, then the payload's `email` and `email_verified`.
 */
async function docsReceiverAccepts(authorization: string): Promise<boolean> {
  const authClient = new OAuth2Client({ endpoints: { oauth2FederatedSignonPemCertsUrl: pemUrl } });
  try {
    const [, idToken = ''] = authorization.match(/Bearer (.*)/) ?? [];
    const ticket = await authClient.verifyIdToken({ idToken, audience: AUDIENCE });
    const claim = ticket.getPayload();
    return claim?.email === PUSHER && claim.email_verified === true;
  } catch {
    return false;
  }
}

const ours = () => createVerifier('google-pubsub', { audience: AUDIENCE, jwksUrl }, [PUSHER]);
const pushWith = (authorization: string, body: string, now = new Date()) =>
  incoming(
    {
      headers: { 'content-type': 'application/json', authorization },
      body: Buffer.from(body),
      url: '/webhooks/pubsub',
    },
    now,
  );

/** What `send` signs for a source pinning the sample keys: the header and body. */
function sample() {
  const signed = signSample(
    {
      name: 'pubsub',
      provider: 'google-pubsub',
      secret: PUSHER,
      options: { audience: AUDIENCE, jwks: SAMPLE_JWKS },
    },
    { id: '4242' },
  );
  if (!signed.ok) throw new Error(signed.error);
  return { authorization: signed.request.headers.Authorization ?? '', body: signed.request.body };
}

const claimsAt = (now: Date, overrides: Record<string, unknown> = {}) => ({
  iss: 'https://accounts.google.com',
  aud: AUDIENCE,
  email: PUSHER,
  email_verified: true,
  iat: unixSeconds(now),
  exp: unixSeconds(now) + 3600,
  ...overrides,
});

/** An RS256 JWT as Google signs a push subscription's token, with the claims given. */
const tokenOf = (claims: Record<string, unknown>, key = googleKey.privateKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'g1', typ: 'JWT' }).sign(key);

describe("google-pubsub agrees with the receiver in Google's docs (google-auth-library)", () => {
  it('the docs receiver accepts what our signer sends, and so do we', async () => {
    const { authorization, body } = sample();
    expect(await docsReceiverAccepts(authorization)).toBe(true);
    expect(reasonOf(await ours().verify(pushWith(authorization, body)))).toBe('event');
  });

  it('we accept a token signed as Google signs it, which the docs receiver accepts', async () => {
    const authorization = `Bearer ${await tokenOf(claimsAt(new Date()))}`;
    expect(await docsReceiverAccepts(authorization)).toBe(true);
    expect(reasonOf(await ours().verify(pushWith(authorization, sample().body)))).toBe('event');
  });

  const now = new Date();
  const refused: [string, Record<string, unknown>][] = [
    ['another audience', claimsAt(now, { aud: 'https://elsewhere.example/push' })],
    ['an expired token', claimsAt(new Date(now.getTime() - 2 * 3_600_000))],
    ['another issuer', claimsAt(now, { iss: 'https://issuer.example' })],
    ['another service account', claimsAt(now, { email: 'someone@else.iam.gserviceaccount.com' })],
    ['an unverified email', claimsAt(now, { email_verified: false })],
  ];

  it.each(refused)('both refuse %s', async (_label, claims) => {
    const authorization = `Bearer ${await tokenOf(claims)}`;
    expect(await docsReceiverAccepts(authorization)).toBe(false);
    expect(reasonOf(await ours().verify(pushWith(authorization, sample().body, now)))).not.toBe(
      'event',
    );
  });

  it('both refuse a token signed by a key Google does not publish', async () => {
    const token = await tokenOf(claimsAt(now), other.privateKey);
    expect(await docsReceiverAccepts(`Bearer ${token}`)).toBe(false);
    expect(reasonOf(await ours().verify(pushWith(`Bearer ${token}`, sample().body, now)))).toBe(
      'no_matching_secret',
    );
  });
});

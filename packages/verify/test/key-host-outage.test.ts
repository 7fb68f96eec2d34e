import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { snsSignedMessage } from '@webhook-inbox/signing';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { CertificateServer } from './certificate-server.ts';
import { plaidToken } from './plaid-key-server.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom, unixSeconds } from './support.ts';

/**
 * A sender's key host that is down, hangs or fails is the sender's outage, not a bad request:
 * `keys_unavailable` (answered 503, so the sender retries). A URL off the allow-list, or a host
 * that answers that the key is not there, is still the request's problem.
 */
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:orders';
const LOCAL = { certificateHostPattern: '^127\\.0\\.0\\.1$', allowLoopbackHttpForTests: true };
const AT = secondsFrom(NOW, 3 * 365 * 86_400);
const signerKey = createPrivateKey(fixture('x509/signer.key'));

/** An origin on a port nothing listens on: connections to it are refused. */
async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

const hanging = new CertificateServer();
let down = '';
beforeAll(async () => {
  await hanging.start();
  down = await closedOrigin();
});
afterAll(() => hanging.stop());
beforeEach(() => hanging.reset());

const snsDelivery = (certificateUrl: string) => {
  const message = snsSignedMessage(
    signerKey,
    {
      Type: 'Notification',
      MessageId: 'da41e39f-ea4d-435a-b922-c6aae3915ebe',
      TopicArn: TOPIC,
      Message: '{"order":"o_1"}',
      Timestamp: AT.toISOString(),
    },
    certificateUrl,
    '1',
  );
  return incoming(
    {
      headers: { 'content-type': 'text/plain; charset=UTF-8' },
      body: Buffer.from(JSON.stringify(message)),
      url: '/webhooks/orders',
    },
    AT,
  );
};

const sns = (options: Record<string, unknown> = {}) =>
  createVerifier('aws-sns', { ...LOCAL, ...options }, [TOPIC]);

describe('a certificate host that cannot give the certificate', () => {
  it('is unavailable when it is down, hangs or fails, and stays so while the failure is remembered', async () => {
    const verifier = sns();
    expect(reasonOf(await verifier.verify(snsDelivery(`${down}/cert.pem`)))).toBe(
      'keys_unavailable',
    );
    expect(reasonOf(await verifier.verify(snsDelivery(`${down}/cert.pem`)))).toBe(
      'keys_unavailable',
    );
    hanging.behaviour = 'slow';
    const slow = sns({ certificateFetchTimeoutMs: 100 });
    expect(reasonOf(await slow.verify(snsDelivery(`${hanging.origin}/cert.pem`)))).toBe(
      'keys_unavailable',
    );
    hanging.behaviour = 'failing';
    expect(reasonOf(await sns().verify(snsDelivery(`${hanging.origin}/cert.pem`)))).toBe(
      'keys_unavailable',
    );
  });

  it("is the request's problem when the URL is off the list or names no certificate", async () => {
    expect(reasonOf(await sns().verify(snsDelivery('https://evil.example/cert.pem')))).toBe(
      'malformed_signature',
    );
    expect(reasonOf(await sns().verify(snsDelivery(`${hanging.origin}/missing.pem`)))).toBe(
      'no_matching_secret',
    );
    expect(hanging.requests).toEqual(['/missing.pem']);
  });

  it("is the request's problem when the certificate URL redirects", async () => {
    const redirecting = createServer((_request, response) => {
      response.writeHead(302, { location: `${hanging.origin}/cert.pem` });
      response.end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const { port } = redirecting.address() as AddressInfo;
    try {
      const result = await sns().verify(snsDelivery(`http://127.0.0.1:${port}/cert.pem`));
      expect(reasonOf(result)).toBe('no_matching_secret');
    } finally {
      await new Promise<void>((resolve) => redirecting.close(() => resolve()));
    }
  });
});

describe('a key endpoint that cannot give the key', () => {
  const body = fixture('plaid-sync-updates-available.json');
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;

  it("is unavailable when Plaid's key endpoint is down", async () => {
    const plaid = createVerifier(
      'plaid',
      { clientId: 'client', verificationKeyUrl: `${down}/webhook_verification_key/get` },
      ['secret-0123456789'],
    );
    const token = await plaidToken(signingKey, 'kid-1', body, NOW);
    const request = incoming({
      headers: { 'content-type': 'application/json', 'plaid-verification': token },
      body,
      url: '/webhooks/plaid',
    });
    expect(reasonOf(await plaid.verify(request))).toBe('keys_unavailable');
  });

  it("is unavailable when Google's JWKS is down", async () => {
    const google = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const audience = 'https://inbox.example.com/webhooks/pubsub';
    const email = 'pusher@my-project.iam.gserviceaccount.com';
    const token = await new SignJWT({ email, email_verified: true })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
      .setIssuer('https://accounts.google.com')
      .setAudience(audience)
      .setIssuedAt(unixSeconds(NOW))
      .setExpirationTime(unixSeconds(NOW) + 3600)
      .sign(google);
    const pubsub = createVerifier('google-pubsub', { audience, jwksUrl: `${down}/certs` }, [email]);
    const request = incoming({
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: Buffer.from(JSON.stringify({ message: { messageId: '1', data: '' } })),
      url: '/webhooks/pubsub',
    });
    expect(reasonOf(await pubsub.verify(request))).toBe('keys_unavailable');
  });
});

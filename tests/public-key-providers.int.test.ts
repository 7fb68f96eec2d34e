import { generateKeyPairSync } from 'node:crypto';
import { webhookEvents } from '@webhook-inbox/db';
import { SAMPLE_KEYS } from '@webhook-inbox/signing';
import { capturedLog, ingressPerFile, sourcesFrom } from '@webhook-inbox/testing';
import { eq, sql } from 'drizzle-orm';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CertificateServer } from '../packages/verify/test/certificate-server.ts';
import { PlaidKeyServer, plaidToken } from '../packages/verify/test/plaid-key-server.ts';
import { discordSignature, sendgridSignature } from '../packages/verify/test/signers.ts';
import { fixture } from '../packages/verify/test/support.ts';

// The public-key providers through the real ingress: Discord's PING answered and never stored,
// SendGrid's batch shape enforced, Plaid's keys fetched from a local stand-in for its API, and
// Google Pub/Sub's OIDC tokens checked against a local stand-in for Google's JWKS.

const PLAID_CLIENT_ID = 'plaid-client-int';
const PLAID_SECRET = 'plaid-secret-int-0123456789';
const plaidKeys = new PlaidKeyServer(PLAID_CLIENT_ID, PLAID_SECRET);
const plaidSigningKey = plaidKeys.addKey('kid-int');
const plaidBody = fixture('plaid-sync-updates-available.json');

const PUBSUB_AUDIENCE = 'https://inbox.example.com/webhooks/pubsub';
const PUBSUB_PUSHER = 'pusher@my-project.iam.gserviceaccount.com';
const google = generateKeyPairSync('rsa', { modulusLength: 2048 });
const googleKeys = new CertificateServer();
let jwksUrl = '';

const captured = capturedLog();

beforeAll(async () => {
  await plaidKeys.start();
  await googleKeys.start();
  const jwk = { ...google.publicKey.export({ format: 'jwk' }), kid: 'g1', alg: 'RS256' };
  jwksUrl = googleKeys.serve('/oauth2/v3/certs', JSON.stringify({ keys: [jwk] }));
});
afterAll(async () => {
  await plaidKeys.stop();
  await googleKeys.stop();
});

// Built after the key servers are up (its hook is registered after theirs).
const ingress = ingressPerFile(() => ({
  sources: sourcesFrom([
    { name: 'discord', provider: 'discord', secret: SAMPLE_KEYS.discord.configured },
    { name: 'sendgrid', provider: 'sendgrid', secret: SAMPLE_KEYS.sendgrid.configured },
    {
      name: 'plaid',
      provider: 'plaid',
      secret: PLAID_SECRET,
      options: { clientId: PLAID_CLIENT_ID, verificationKeyUrl: plaidKeys.url },
    },
    {
      name: 'pubsub',
      provider: 'google-pubsub',
      secret: PUBSUB_PUSHER,
      options: { audience: PUBSUB_AUDIENCE, jwksUrl },
    },
  ]),
  log: captured.log,
}));

const unixNow = () => String(Math.floor(Date.now() / 1000));

async function stored(source: string) {
  return ingress.env.db
    .select({ eventType: webhookEvents.eventType, headers: webhookEvents.headers })
    .from(webhookEvents)
    .where(eq(webhookEvents.source, source));
}

async function storedCount() {
  const [row] = await ingress.env.db.select({ n: sql<number>`count(*)::int` }).from(webhookEvents);
  return row?.n;
}

function discordRequest(body: string, signature?: string) {
  const timestamp = unixNow();
  return ingress.app.inject({
    method: 'POST',
    url: '/webhooks/discord',
    headers: {
      'content-type': 'application/json',
      'x-signature-ed25519':
        signature ?? discordSignature(SAMPLE_KEYS.discord.privateKey, timestamp, body),
      'x-signature-timestamp': timestamp,
    },
    payload: body,
  });
}

describe('public-key providers through the ingress', () => {
  it("answers Discord's signed PING with a PONG, storing and queueing nothing", async () => {
    const ping = JSON.stringify({ id: '9', application_id: '8', type: 1, token: 't', version: 1 });
    const jobs = await ingress.env.queue.count();
    const response = await discordRequest(ping);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ type: 1 });
    expect(await storedCount()).toBe(0);
    expect(await ingress.env.queue.count()).toBe(jobs);

    const forged = await discordRequest(ping, 'ab'.repeat(64));
    expect(forged.statusCode).toBe(401);
    expect(forged.json()).toEqual({ error: 'signature verification failed' });
  });

  it('refuses a signed SendGrid body that is not an array with a short 400, storing nothing', async () => {
    const body = '{"event":"delivered"}';
    const timestamp = unixNow();
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/sendgrid',
      headers: {
        'content-type': 'application/json',
        'x-twilio-email-event-webhook-signature': sendgridSignature(
          SAMPLE_KEYS.sendgrid.privateKey,
          timestamp,
          body,
        ),
        'x-twilio-email-event-webhook-timestamp': timestamp,
      },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: 'body is not a JSON array of events' });
    expect(await stored('sendgrid')).toEqual([]);
  });

  it('stores a Plaid webhook verified with the key fetched for its kid, without its token', async () => {
    const token = await plaidToken(plaidSigningKey, 'kid-int', plaidBody, new Date());
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/plaid',
      headers: { 'content-type': 'application/json', 'plaid-verification': token },
      payload: plaidBody,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ received: true, duplicate: false });
    const [row] = await stored('plaid');
    expect(row?.eventType).toBe('TRANSACTIONS.SYNC_UPDATES_AVAILABLE');
    expect(Object.keys(row?.headers ?? {})).not.toContain('plaid-verification');
    expect(plaidKeys.requests).toHaveLength(1);
  });

  it('refuses a stale Plaid token with a 401 and logs neither the token nor the secret', async () => {
    const token = await plaidToken(
      plaidSigningKey,
      'kid-int',
      plaidBody,
      new Date(Date.now() - 10 * 60_000),
    );
    const before = await storedCount();
    const response = await ingress.app.inject({
      method: 'POST',
      url: '/webhooks/plaid',
      headers: { 'content-type': 'application/json', 'plaid-verification': token },
      payload: plaidBody,
    });
    expect(response.statusCode).toBe(401);
    expect(await storedCount()).toBe(before);
    const log = captured.text();
    expect(log).toContain('stale_timestamp');
    expect(log).not.toContain(token.slice(-20));
    expect(log).not.toContain(PLAID_SECRET);
  });
});

/** A push subscription's OIDC token as Google signs it, issued `ageSeconds` ago. */
const pubsubToken = ({ audience = PUBSUB_AUDIENCE, ageSeconds = 0 } = {}) => {
  const issuedAt = Math.floor(Date.now() / 1000) - ageSeconds;
  return new SignJWT({ email: PUBSUB_PUSHER, email_verified: true })
    .setProtectedHeader({ alg: 'RS256', kid: 'g1', typ: 'JWT' })
    .setIssuer('https://accounts.google.com')
    .setAudience(audience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + 3600)
    .sign(google.privateKey);
};

const pushOf = (messageId: string) =>
  JSON.stringify({
    message: { data: Buffer.from('{"order":"o_1"}').toString('base64'), messageId },
    subscription: 'projects/my-project/subscriptions/inbox',
  });

const push = (token: string, body: string) =>
  ingress.app.inject({
    method: 'POST',
    url: '/webhooks/pubsub',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    payload: body,
  });

describe('google pub/sub push through the ingress', () => {
  it("stores a push message, fetching Google's keys once for two requests", async () => {
    googleKeys.reset();
    for (const messageId of ['7001', '7002']) {
      const response = await push(await pubsubToken(), pushOf(messageId));
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toEqual({ received: true, duplicate: false });
    }
    const rows = await stored('pubsub');
    expect(rows.map((row) => row.eventType)).toEqual(['pubsub.message', 'pubsub.message']);
    expect(rows.flatMap((row) => Object.keys(row.headers ?? {}))).not.toContain('authorization');
    expect(googleKeys.requests).toEqual(['/oauth2/v3/certs']);
  });

  it.each([
    ['an expired token', { ageSeconds: 2 * 3600 }, 'stale_timestamp'],
    [
      'a token for another audience',
      { audience: 'https://elsewhere.example/push' },
      'no_matching_secret',
    ],
  ])(
    'refuses %s with a short JSON 401, storing nothing, logging no token',
    async (_l, claims, reason) => {
      const token = await pubsubToken(claims);
      const before = await storedCount();
      const jobs = await ingress.env.queue.count();
      const logged = captured.text().length;
      const response = await push(token, pushOf('7100'));
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: 'signature verification failed' });
      expect(await storedCount()).toBe(before);
      expect(await ingress.env.queue.count()).toBe(jobs);
      const log = captured.text().slice(logged);
      expect(log).toContain(reason);
      expect(log).not.toContain(token.split('.')[2]);
    },
  );
});

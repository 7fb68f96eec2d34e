import { createSecretKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createVerifier, type Verification } from '../src/index.ts';
import { PlaidKeyServer, plaidToken } from './plaid-key-server.ts';
import { fixture, incoming, NOW, reasonOf, secondsFrom } from './support.ts';

const CLIENT_ID = 'plaid-client-id-1';
const SECRET = 'plaid-secret-0123456789abcdef';
const body = fixture('plaid-sync-updates-available.json');

const server = new PlaidKeyServer(CLIENT_ID, SECRET);
const signingKey = server.addKey('kid-current');

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  server.behaviour = 'normal';
});

/** A fresh verifier, so that each test starts with nothing cached. */
const plaid = (options: Record<string, unknown> = {}) =>
  createVerifier('plaid', { clientId: CLIENT_ID, verificationKeyUrl: server.url, ...options }, [
    SECRET,
  ]);

const delivery = (token: string, payload = body) =>
  incoming({
    headers: { 'content-type': 'application/json', 'plaid-verification': token },
    body: payload,
    url: '/webhooks/plaid',
  });

const signed = (at = NOW, payload = body, kid = 'kid-current', key = signingKey) =>
  plaidToken(key, kid, payload, at);

describe('plaid', () => {
  it('verifies a token signed as Plaid documents, fetching its key once for the client ID', async () => {
    const verifier = plaid();
    const result = await verifier.verify(delivery(await signed()));
    expect(result).toMatchObject({
      kind: 'event',
      event: { eventType: 'TRANSACTIONS.SYNC_UPDATES_AVAILABLE' },
    });
    expect(server.requests).toEqual([
      { client_id: CLIENT_ID, secret: SECRET, key_id: 'kid-current' },
    ]);
    expect(verifier.credentialHeaders).toEqual(['plaid-verification']);
  });

  it('keeps the fetch off later requests: one fetch for a burst and for what follows', async () => {
    const verifier = plaid();
    const tokens = await Promise.all([1, 2, 3].map((s) => signed(secondsFrom(NOW, -s))));
    const results = await Promise.all(tokens.map((token) => verifier.verify(delivery(token))));
    expect(results.map(reasonOf)).toEqual(['event', 'event', 'event']);
    expect((await verifier.verify(delivery(await signed()))).kind).toBe('event');
    expect(server.requests).toHaveLength(1);
  });

  it('names a delivery by its send time and body: a retry of the same token is the same event', async () => {
    const verifier = plaid();
    const token = await signed();
    const first = await verifier.verify(delivery(token));
    expect(await verifier.verify(delivery(token))).toEqual(first);
    const later = await verifier.verify(delivery(await signed(secondsFrom(NOW, 60))));
    const idOf = (v: Verification) => (v.kind === 'event' ? v.event.eventId : v.kind);
    expect(idOf(later)).not.toBe(idOf(first));
  });

  it('refuses a body other than the one the token hashes', async () => {
    const other = Buffer.from(body.toString('utf8').replace('true', 'false'));
    expect(reasonOf(await plaid().verify(delivery(await signed(), other)))).toBe(
      'no_matching_secret',
    );
  });

  it('refuses a token older than 5 minutes, or from the future, before fetching any key', async () => {
    const verifier = plaid();
    expect(reasonOf(await verifier.verify(delivery(await signed(secondsFrom(NOW, -301)))))).toBe(
      'stale_timestamp',
    );
    expect(reasonOf(await verifier.verify(delivery(await signed(secondsFrom(NOW, 301)))))).toBe(
      'stale_timestamp',
    );
    expect(server.requests).toHaveLength(0);
    expect((await verifier.verify(delivery(await signed(secondsFrom(NOW, -300))))).kind).toBe(
      'event',
    );
  });

  it('refuses a token signed by another key under a known kid', async () => {
    const impostor = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const token = await signed(NOW, body, 'kid-current', impostor);
    expect(reasonOf(await plaid().verify(delivery(token)))).toBe('no_matching_secret');
  });

  it('refuses what is not an ES256 JWT with a kid, at once and without a fetch', async () => {
    const verifier = plaid();
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'kid-current' })
      .setIssuedAt()
      .sign(createSecretKey(Buffer.from(SECRET)));
    const rs256 = await plaidToken(
      generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
      'kid-current',
      body,
      NOW,
      'RS256',
    );
    const token = await signed();
    for (const bad of [hs256, rs256, 'not-a-jwt', token.slice(0, token.lastIndexOf('.'))]) {
      const result = verifier.verify(delivery(bad));
      expect(result).not.toBeInstanceOf(Promise);
      expect(reasonOf(await result)).toBe('malformed_signature');
    }
    expect(reasonOf(await verifier.verify(delivery(`${token.slice(0, -6)}AAAAAA`)))).toBe(
      'no_matching_secret',
    );
    expect(server.requests).toHaveLength(1);
  });

  it('rejects a missing header', async () => {
    const request = incoming({ headers: {}, body, url: '/webhooks/plaid' });
    expect(reasonOf(await plaid().verify(request))).toBe('missing_signature');
  });

  it('says why a key could not be had, never the secret, and does not ask again at once', async () => {
    server.behaviour = 'failing';
    const verifier = plaid();
    const result = await verifier.verify(delivery(await signed()));
    expect(result).toEqual({
      kind: 'rejected',
      reason: 'keys_unavailable',
      detail:
        'verification key unavailable: the key endpoint answered HTTP 500 (INTERNAL_SERVER_ERROR)',
    });
    expect(JSON.stringify(result)).not.toContain(SECRET);
    server.behaviour = 'normal';
    expect(reasonOf(await verifier.verify(delivery(await signed())))).toBe('keys_unavailable');
    expect(server.requests).toHaveLength(1);
  });

  it('gives up on a key endpoint slower than its deadline', async () => {
    server.behaviour = 'slow';
    const result = await plaid({ keyFetchTimeoutMs: 100 }).verify(delivery(await signed()));
    expect(result).toMatchObject({
      reason: 'keys_unavailable',
      detail: 'verification key unavailable: the key endpoint did not answer within 100 ms',
    });
  });

  it('refuses a key of the wrong type from the endpoint', async () => {
    server.behaviour = 'wrong-key-type';
    expect(await plaid().verify(delivery(await signed()))).toMatchObject({
      reason: 'no_matching_secret',
      detail:
        'verification key unavailable: the key endpoint answered no P-256 key with the ID asked for',
    });
  });

  it('refuses a key the endpoint says Plaid has expired', async () => {
    const rotated = server.addKey('kid-rotated-out');
    server.expiredAt.set('kid-rotated-out', Math.floor(NOW.getTime() / 1000) - 60);
    const token = await signed(NOW, body, 'kid-rotated-out', rotated);
    expect(await plaid().verify(delivery(token))).toMatchObject({
      reason: 'no_matching_secret',
      detail: 'verification key unavailable: the key endpoint says that key has expired',
    });
  });

  it('fetches at most 10 made-up key IDs a minute', async () => {
    const verifier = plaid();
    const tokens = await Promise.all(
      Array.from({ length: 25 }, (_, i) => signed(NOW, body, `made-up-${i}`)),
    );
    const results = await Promise.all(tokens.map((token) => verifier.verify(delivery(token))));
    expect(results.every((r) => r.kind === 'rejected')).toBe(true);
    expect(server.requests).toHaveLength(10);
  });

  it('needs a client ID, and a secret for the key endpoint', () => {
    expect(() => createVerifier('plaid', {}, [SECRET])).toThrow(/clientId/);
    expect(() =>
      createVerifier('plaid', { clientId: CLIENT_ID, verificationKeyUrl: 'ftp://x' }, [SECRET]),
    ).toThrow(/verificationKeyUrl/);
  });
});

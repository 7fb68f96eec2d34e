import { createHash, generateKeyPairSync, timingSafeEqual } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, jwtVerify } from 'jose';
import { Configuration, type JWKPublicKey, PlaidApi } from 'plaid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '../src/index.ts';
import { PlaidKeyServer, plaidToken } from './plaid-key-server.ts';
import { fixture, incoming, reasonOf } from './support.ts';

const CLIENT_ID = 'plaid-client-id-oracle';
const SECRET = 'plaid-secret-oracle-0123456789';
const body = fixture('plaid-sync-updates-available.json');

const server = new PlaidKeyServer(CLIENT_ID, SECRET);
const signingKey = server.addKey('kid-current');
const rotatedKey = server.addKey('kid-rotated');

beforeAll(async () => {
  await server.start();
  server.expiredAt.set('kid-rotated', Math.floor(Date.now() / 1000) - 60);
});
afterAll(() => server.stop());

/**
 * The receiver in Plaid's webhook-verification docs, as written there: Plaid's client fetches
 * the key its `kid` names, jose checks the ES256 signature and a 5-minute `iat`, and the body's
 * SHA-256 is compared with the token's `request_body_sha256`. Its key cache is one per receiver.
 */
function plaidDocsReceiver() {
  const client = new PlaidApi(
    new Configuration({
      basePath: server.origin,
      baseOptions: { headers: { 'PLAID-CLIENT-ID': CLIENT_ID, 'PLAID-SECRET': SECRET } },
    }),
  );
  const keys = new Map<string, JWKPublicKey>();
  return async (payload: Buffer, signedJwt: string): Promise<boolean> => {
    const decodedToken = decodeJwt(signedJwt);
    const { kid } = decodeProtectedHeader(signedJwt);
    if (kid === undefined) return false;
    if (!keys.has(kid)) {
      try {
        const response = await client.webhookVerificationKeyGet({ key_id: kid });
        keys.set(kid, response.data.key);
      } catch {
        // The docs leave an API error to the reader: here the key stays unknown.
      }
    }
    const key = keys.get(kid);
    if (!key || key.expired_at !== null) return false;
    try {
      await jwtVerify(signedJwt, await importJWK(key as unknown as JWK), { maxTokenAge: '5 min' });
    } catch {
      return false;
    }
    const bodyHash = createHash('sha256').update(payload).digest('hex');
    const claimed = decodedToken.request_body_sha256;
    return (
      typeof claimed === 'string' &&
      claimed.length === bodyHash.length &&
      timingSafeEqual(Buffer.from(claimed), Buffer.from(bodyHash))
    );
  };
}

const oursAccepts = async (payload: Buffer, token: string) =>
  reasonOf(
    await createVerifier('plaid', { clientId: CLIENT_ID, verificationKeyUrl: server.url }, [
      SECRET,
    ]).verify(
      incoming(
        {
          headers: { 'content-type': 'application/json', 'plaid-verification': token },
          body: payload,
          url: '/webhooks/plaid',
        },
        new Date(),
      ),
    ),
  ) === 'event';

const secondsAgo = (seconds: number) => new Date(Date.now() - seconds * 1000);

describe("plaid agrees with the receiver in Plaid's docs (the plaid client and jose)", () => {
  it('the docs receiver accepts our token, fetching its key through the plaid client', async () => {
    const token = await plaidToken(signingKey, 'kid-current', body, new Date());
    const before = server.requests.length;
    expect(await plaidDocsReceiver()(body, token)).toBe(true);
    expect(server.requests.slice(before)).toEqual([
      { client_id: CLIENT_ID, secret: SECRET, key_id: 'kid-current' },
    ]);
    expect(await oursAccepts(body, token)).toBe(true);
  });

  const impostor = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const cases: [string, () => Promise<[Buffer, string]>][] = [
    [
      'another body',
      async () => [
        Buffer.from(body.toString('utf8').replace('true', 'false')),
        await plaidToken(signingKey, 'kid-current', body, new Date()),
      ],
    ],
    [
      'another key under a known kid',
      async () => [body, await plaidToken(impostor, 'kid-current', body, new Date())],
    ],
    [
      'a token older than five minutes',
      async () => [body, await plaidToken(signingKey, 'kid-current', body, secondsAgo(400))],
    ],
    [
      'a kid Plaid does not know',
      async () => [body, await plaidToken(signingKey, 'kid-unknown', body, new Date())],
    ],
    [
      'a key Plaid has expired',
      async () => [body, await plaidToken(rotatedKey, 'kid-rotated', body, new Date())],
    ],
  ];

  it.each(cases)('both refuse %s', async (_label, make) => {
    const [payload, token] = await make();
    expect(await plaidDocsReceiver()(payload, token)).toBe(false);
    expect(await oursAccepts(payload, token)).toBe(false);
  });
});

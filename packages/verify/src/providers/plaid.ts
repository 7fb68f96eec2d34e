import { createHash } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { z } from 'zod';
import { headerValue, parseEventBody, readPath } from '../body.ts';
import { safeEqualText, sha256Hex } from '../crypto.ts';
import {
  DEFAULT_KEY_CACHE_LIMITS,
  KeyCache,
  type KeyLookup,
  keyLookupRejection,
  withLookup,
} from '../engine/key-cache.ts';
import { defineProvider } from '../provider.ts';
import { checkTimestamp } from '../timestamp.ts';
import {
  accept,
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';
import { toleranceSeconds } from './options.ts';
import { PLAID_KEY_URL, plaidKeyFetcher } from './plaid-keys.ts';

/**
 * Plaid: `Plaid-Verification` is an ES256 JWT whose `request_body_sha256` claim is the SHA-256
 * (hex) of the body and whose `iat` is the send time; its `kid` names a key Plaid's API gives
 * to our client ID and secret (the source's first secret). Keys are cached once fetched.
 */
const plaidOptions = z
  .object({
    clientId: z.string().min(1),
    /** Plaid's key endpoint; its sandbox's, or a local one in tests. */
    verificationKeyUrl: z.url({ protocol: /^https?$/ }).default(PLAID_KEY_URL),
    keyFetchTimeoutMs: z.number().int().positive().default(DEFAULT_KEY_CACHE_LIMITS.deadlineMs),
    toleranceSeconds: toleranceSeconds(300),
  })
  .strict();

type PlaidOptions = z.infer<typeof plaidOptions>;

const HEADER = 'plaid-verification';
const MAX_KEY_ID_LENGTH = 256;

type Claims = { readonly iat?: unknown; readonly request_body_sha256?: unknown };

/** The send time as a timestamp the shared check reads: whole unix seconds. */
const sentAt = (claims: Claims) =>
  typeof claims.iat === 'number' && Number.isSafeInteger(claims.iat)
    ? String(claims.iat)
    : undefined;

function unverifiedSentAt(token: string): string | undefined {
  try {
    return sentAt(decodeJwt(token));
  } catch {
    return undefined;
  }
}

/** The token's key ID, or why it cannot be one of Plaid's. Parsed by jose, not verified yet. */
function keyIdOf(
  token: string,
): { ok: true; keyId: string } | { ok: false; rejection: Verification } {
  try {
    const { alg, kid } = decodeProtectedHeader(token);
    if (alg === 'ES256' && typeof kid === 'string' && kid.length <= MAX_KEY_ID_LENGTH) {
      return { ok: true, keyId: kid };
    }
  } catch {
    // Not a JWT at all: the same answer as a JWT of the wrong kind.
  }
  return { ok: false, rejection: reject('malformed_signature', 'not an ES256 JWT with a kid') };
}

/** Plaid sends no event ID: a delivery is its send time and body, which the token signs. */
function plaidEvent(request: IncomingWebhook, iat: string): Verification {
  const body = parseEventBody(request.rawBody);
  if (!body.ok) return reject('malformed_body', body.detail);
  const webhookType = readPath(body.json, 'webhook_type');
  const webhookCode = readPath(body.json, 'webhook_code');
  if (!webhookType || !webhookCode) {
    return reject(
      'malformed_body',
      'event type (fields "webhook_type" and "webhook_code") missing',
    );
  }
  const eventId = createHash('sha256').update(`${iat}.`).update(request.rawBody).digest('hex');
  return accept({ eventId, eventType: `${webhookType}.${webhookCode}`, body: body.text });
}

async function verifySigned(
  token: string,
  lookup: KeyLookup,
  request: IncomingWebhook,
  rule: { toleranceSeconds: number },
): Promise<Verification> {
  if (!lookup.ok) return keyLookupRejection(lookup, 'verification key');
  let claims: Claims;
  try {
    ({ payload: claims } = await jwtVerify(token, lookup.key, { algorithms: ['ES256'] }));
  } catch {
    return reject('no_matching_secret');
  }
  const iat = sentAt(claims);
  const stale = checkTimestamp(iat, request.now, { ...rule, format: 'unix-seconds' });
  if (stale || iat === undefined) return stale ?? reject('malformed_signature');
  const bodySha256 = claims.request_body_sha256;
  if (typeof bodySha256 !== 'string' || !safeEqualText(bodySha256, sha256Hex(request.rawBody))) {
    return reject('no_matching_secret');
  }
  return plaidEvent(request, iat);
}

function plaidVerifier(options: PlaidOptions, secrets: readonly string[]): Verifier {
  const [secret] = secrets;
  if (secret === undefined) throw new Error('plaid needs its API secret');
  const keys = new KeyCache(plaidKeyFetcher(options.verificationKeyUrl, options.clientId, secret), {
    ...DEFAULT_KEY_CACHE_LIMITS,
    deadlineMs: options.keyFetchTimeoutMs,
  });
  const rule = { toleranceSeconds: options.toleranceSeconds };
  return {
    credentialHeaders: [HEADER],
    acceptsContentType: isJsonContentType,
    verify(request) {
      const token = headerValue(request.headers, HEADER);
      if (token === undefined || token === '') return reject('missing_signature');
      const keyId = keyIdOf(token);
      if (!keyId.ok) return keyId.rejection;
      // A stale token is refused before its key is fetched: replaying one costs us nothing.
      const stale = checkTimestamp(unverifiedSentAt(token), request.now, {
        ...rule,
        format: 'unix-seconds',
      });
      if (stale) return stale;
      const lookup = keys.lookup(keyId.keyId);
      return withLookup(lookup, (found) => verifySigned(token, found, request, rule));
    },
  };
}

export const plaid = defineProvider({
  name: 'plaid',
  options: plaidOptions,
  verifier: plaidVerifier,
  credentialHeaders: [HEADER],
  signedTimestamp: true,
  requiredOptions: { clientId: 'sample-client-id' },
  docs: {
    entry: { name: 'plaid', secret: 'env:PLAID_SECRET', options: { clientId: '…' } },
    verified:
      "`Plaid-Verification`: ES256 JWT whose `request_body_sha256` is the body's SHA-256, verified with the key its `kid` names, fetched once from Plaid's key endpoint (`verificationKeyUrl`)",
    replayWindow: "±300 s on the JWT's `iat` (`toleranceSeconds`)",
    eventId: 'SHA-256 of `iat` and the body',
    eventType: 'body `webhook_type`.`webhook_code`',
    oracle: { sdk: ['plaid', 'jose'] },
  },
});

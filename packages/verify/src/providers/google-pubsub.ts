import { googlePubsubSample, SAMPLE_JWKS } from '@webhook-inbox/signing';
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  errors,
  type JSONWebKeySet,
  type JWTPayload,
  jwtVerify,
} from 'jose';
import { z } from 'zod';
import { headerValue, type JsonObject, parseEventBody, readPath } from '../body.ts';
import { DEFAULT_KEY_CACHE_LIMITS } from '../engine/key-cache.ts';
import { defineProvider } from '../provider.ts';
import {
  accept,
  type IncomingWebhook,
  isJsonContentType,
  reject,
  type Verification,
  type Verifier,
} from '../types.ts';

/**
 * Google Cloud Pub/Sub push subscriptions with authentication: `Authorization: Bearer <JWT>`,
 * an OIDC token Google signs (RS256) for the subscription's service account, checked against
 * Google's published keys. Any Google service account can get a token for any audience, so the
 * secrets are the service account emails this source accepts, and the audience is checked too.
 * The token does not cover the body.
 */
export const GOOGLE_JWKS_URL = 'https://www.googleapis.com/oauth2/v3/certs';
const ISSUERS = ['https://accounts.google.com', 'accounts.google.com'];

const pubsubOptions = z
  .object({
    /** The audience set on the push subscription (by default Google uses the push URL). */
    audience: z.string().min(1),
    /** Google's keys; a local server in tests. */
    jwksUrl: z.url({ protocol: /^https?$/ }).default(GOOGLE_JWKS_URL),
    keyFetchTimeoutMs: z.number().int().positive().default(DEFAULT_KEY_CACHE_LIMITS.deadlineMs),
    /** Leeway on `exp`/`iat`/`nbf` for clocks apart. */
    clockToleranceSeconds: z.number().int().nonnegative().default(30),
    /**
     * A JWKS to verify with instead of fetching: `send`'s sample keys for a local try. Google
     * rotates its keys, so a production source leaves this unset.
     */
    jwks: z.object({ keys: z.array(z.record(z.string(), z.unknown())).min(1) }).optional(),
    /** An attribute naming the event type; unset, every message is `pubsub.message`. */
    typeAttribute: z.string().min(1).optional(),
  })
  .strict();

type PubsubOptions = z.infer<typeof pubsubOptions>;

const BEARER = /^Bearer\s+(\S+)$/i;
const PUBSUB_TYPE = 'pubsub.message';

/** jose's failure, as one of ours: an expired token is stale, anything unverifiable a mismatch. */
function rejectionOf(error: unknown): Verification {
  if (error instanceof errors.JWTExpired) return reject('stale_timestamp');
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === 'nbf') {
    return reject('stale_timestamp');
  }
  // The JWKS URL is configured, not taken from the request: its failing is Google's, retried.
  if (error instanceof errors.JWKSTimeout) {
    return reject(
      'keys_unavailable',
      "signing keys unavailable: Google's keys did not answer in time",
    );
  }
  // jose answers a JWKS endpoint's non-200 with a plain JOSEError, a network failure with none.
  const plain = error instanceof errors.JOSEError && error.constructor === errors.JOSEError;
  if (plain || !(error instanceof errors.JOSEError)) {
    return reject(
      'keys_unavailable',
      "signing keys unavailable: Google's keys could not be fetched",
    );
  }
  if (error instanceof errors.JWKSInvalid) {
    return reject(
      'no_matching_secret',
      "signing keys unavailable: Google's keys could not be read",
    );
  }
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
    return reject('malformed_signature', 'not a signed JWT');
  }
  return reject('no_matching_secret');
}

function pubsubEvent(json: JsonObject, text: string, typeAttribute: string | undefined) {
  const messageId = readPath(json, 'message.messageId') ?? readPath(json, 'message.message_id');
  if (!messageId) return reject('malformed_body', 'event ID (field "message.messageId") missing');
  const eventType =
    typeAttribute === undefined
      ? PUBSUB_TYPE
      : readPath(json, `message.attributes.${typeAttribute}`);
  if (!eventType) {
    return reject('malformed_body', `event type (attribute "${typeAttribute}") missing`);
  }
  return accept({ eventId: messageId, eventType, body: text });
}

function pubsubVerifier(options: PubsubOptions, emails: readonly string[]): Verifier {
  const keys = options.jwks
    ? createLocalJWKSet(options.jwks as JSONWebKeySet)
    : createRemoteJWKSet(new URL(options.jwksUrl), { timeoutDuration: options.keyFetchTimeoutMs });
  const accepted = new Set(emails);
  const check = async (token: string, request: IncomingWebhook): Promise<Verification> => {
    let claims: JWTPayload;
    try {
      ({ payload: claims } = await jwtVerify(token, keys, {
        algorithms: ['RS256'],
        issuer: ISSUERS,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds,
        currentDate: request.now,
        requiredClaims: ['exp', 'iat', 'email'],
      }));
    } catch (error) {
      return rejectionOf(error);
    }
    const { email, email_verified: verified } = claims;
    if (typeof email !== 'string' || !accepted.has(email) || verified !== true) {
      return reject('no_matching_secret');
    }
    const body = parseEventBody(request.rawBody);
    if (!body.ok) return reject('malformed_body', body.detail);
    return pubsubEvent(body.json, body.text, options.typeAttribute);
  };
  return {
    credentialHeaders: ['authorization'],
    acceptsContentType: isJsonContentType,
    verify(request) {
      const token = BEARER.exec(headerValue(request.headers, 'authorization') ?? '')?.[1];
      if (token === undefined) return reject('missing_signature');
      return check(token, request);
    },
  };
}

export const googlePubsub = defineProvider({
  name: 'google-pubsub',
  options: pubsubOptions,
  verifier: pubsubVerifier,
  credentialHeaders: ['authorization'],
  signedTimestamp: true,
  sample: googlePubsubSample,
  sampleOptions: { audience: 'https://inbox.example.com/webhooks/pubsub', jwks: SAMPLE_JWKS },
  sampleSecret: 'pusher@sample-project.iam.gserviceaccount.com',
  requiredOptions: { audience: 'https://inbox.example.com/webhooks/pubsub' },
  docs: {
    senders: 'Google Cloud Pub/Sub push subscriptions with authentication',
    entry: {
      name: 'pubsub',
      secret: 'pusher@my-project.iam.gserviceaccount.com',
      options: { audience: 'https://inbox.example.com/webhooks/pubsub' },
    },
    verified:
      "`Authorization: Bearer` OIDC JWT (RS256) against Google's JWKS (`jwksUrl`, cached by jose), `iss` accounts.google.com, `aud` = `audience`, `email` one of the secrets (service accounts) and verified; the body is not covered",
    replayWindow: "the token's `exp` (about an hour), ±30 s (`clockToleranceSeconds`)",
    eventId: 'body `message.messageId`',
    eventType: '`pubsub.message`, or the message attribute `typeAttribute` names (unsigned)',
    oracle: { sdk: ['google-auth-library'] },
  },
});

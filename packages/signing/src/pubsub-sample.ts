import { createPublicKey, sign } from 'node:crypto';
import { option } from './generic.ts';
import { hex, json, type Sample, type SignedSample } from './model.ts';
import { SAMPLE_CERTIFICATE_KEY } from './sample-certificate.ts';
import { CannotSign } from './sample-keys.ts';

/** The sample key's public half as a JWKS, for a local Pub/Sub source to pin (option `jwks`). */
export const SAMPLE_JWKS = {
  keys: [
    {
      ...createPublicKey(SAMPLE_CERTIFICATE_KEY).export({ format: 'jwk' }),
      kid: 'webhook-inbox-sample',
      alg: 'RS256',
      use: 'sig',
    },
  ],
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An RS256 JWT as Google signs a push subscription's OIDC token (signed here synchronously). */
export function googleOidcToken(claims: Readonly<Record<string, unknown>>, kid: string): string {
  const signing = `${base64url({ alg: 'RS256', kid, typ: 'JWT' })}.${base64url(claims)}`;
  const signature = sign('sha256', Buffer.from(signing), SAMPLE_CERTIFICATE_KEY);
  return `${signing}.${signature.toString('base64url')}`;
}

/** A push from the service account the source accepts (its first secret). */
export function googlePubsubSample(s: Sample): SignedSample {
  if (JSON.stringify(s.options.jwks) !== JSON.stringify(SAMPLE_JWKS)) {
    throw new CannotSign(
      `send signs google-pubsub samples with the published sample key only: to try it locally, set the source's option "jwks" to SAMPLE_JWKS from @webhook-inbox/signing (never on a production source)`,
    );
  }
  const token = googleOidcToken(
    {
      iss: 'https://accounts.google.com',
      aud: option(s.options, 'audience', ''),
      email: s.source.secret,
      email_verified: true,
      iat: s.seconds,
      exp: s.seconds + 3600,
    },
    'webhook-inbox-sample',
  );
  const attribute = option(s.options, 'typeAttribute');
  const body = JSON.stringify({
    message: {
      data: Buffer.from(JSON.stringify(s.data ?? { sample: true })).toString('base64'),
      messageId: s.id ?? String(Number.parseInt(hex(6), 16)),
      publishTime: s.at.toISOString(),
      ...(attribute && { attributes: { [attribute]: s.type ?? 'sample' } }),
    },
    subscription: 'projects/sample-project/subscriptions/sample',
  });
  return json(s, { Authorization: `Bearer ${token}` }, body);
}

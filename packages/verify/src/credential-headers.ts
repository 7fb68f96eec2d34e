import { providers } from './registry.ts';

/**
 * The one place that says which request headers carry a credential: the logger censors them and
 * the ingress does not store them. Two parts: every provider's own header names, read from the
 * verifiers themselves so a new provider cannot be forgotten, and a pattern for anything named
 * like a credential, for the headers a sender adds on its own.
 */

/** Public keys only build the sample verifiers: RFC 8032's first test key, and any P-256 key. */
const RFC8032_PUBLIC_KEY = Buffer.from(
  'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
  'hex',
);
const SAMPLE_P256_SPKI =
  'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8RPsJHRTNY6gGvC5G+wSvHXfX4hGX6YSBO8SldGFT2i+MMgRx4Ps++b7JWZjdUHrB7JwwA4Wszd8tDWsQDjo6Q==';

/** What it takes to build each provider with its default header names. */
const SAMPLE_CONFIG: Partial<
  Record<keyof typeof providers, { options?: object; secret?: string }>
> = {
  'basic-auth': { secret: 'user:password' },
  twilio: { options: { publicUrl: 'https://inbox.invalid/' } },
  square: { options: { notificationUrl: 'https://inbox.invalid/' } },
  meta: { options: { verifyToken: 'sample verify token' } },
  discord: { secret: RFC8032_PUBLIC_KEY.toString('hex') },
  telnyx: { secret: RFC8032_PUBLIC_KEY.toString('base64') },
  sendgrid: { secret: SAMPLE_P256_SPKI },
  plaid: { options: { clientId: 'sample-client-id' } },
};
const SAMPLE_SECRET = 'whsec_c2FtcGxlIHNlY3JldCBmb3IgaGVhZGVyIG5hbWVz';

/** The headers any HTTP client may send a credential in, whatever the provider. */
const HTTP_CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Every provider's default credential headers, and HTTP's own, lower-case. */
export const KNOWN_CREDENTIAL_HEADERS: readonly string[] = [
  ...new Set([
    ...HTTP_CREDENTIAL_HEADERS,
    ...Object.entries(providers).flatMap(([name, provider]) => {
      const sample = SAMPLE_CONFIG[name as keyof typeof providers];
      return provider.create(sample?.options ?? {}, [sample?.secret ?? SAMPLE_SECRET])
        .credentialHeaders;
    }),
  ]),
].sort();

// Names are matched word by word (`x-api-key` is x, api, key) so that `x-design-id` keeps its
// header while `x-sig`, `x-hub-signature-256` and `x-shopify-hmac-sha256` lose theirs.
const CREDENTIAL_PART =
  /auth|cookie|token|secret|signature|hmac|passw|passphrase|passcode|credential|apikey|privatekey/;
const CREDENTIAL_WORD =
  /^(keys?|sig\d*|pass|pwd|otp|mfa|private|sas|session|jwt|bearer|verification)$/;

const KNOWN = new Set(KNOWN_CREDENTIAL_HEADERS);

/** Whether a header, by its name alone, may carry a credential. Asked for every stored header. */
export function isCredentialHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    KNOWN.has(lower) ||
    lower.split(/[-_.]/).some((word) => CREDENTIAL_PART.test(word) || CREDENTIAL_WORD.test(word))
  );
}

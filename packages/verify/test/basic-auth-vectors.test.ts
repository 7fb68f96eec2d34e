import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';
import { incoming, NOW, reasonOf, verifier } from './support.ts';

/**
 * The Basic scheme's documented test vectors (RFC 7617, section 2 and 2.1), for the providers
 * that authenticate with it ('basic-auth', 'postmark', 'chargebee'): our signer sends exactly
 * the header the RFC shows, and our verifier accepts it and nothing near it.
 */
const VECTORS = [
  { secret: 'Aladdin:open sesame', header: 'Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==' },
  // UTF-8, as the charset parameter asks: the pound sign is two bytes.
  { secret: 'test:123£', header: 'Basic dGVzdDoxMjPCow==' },
];

const PROVIDERS = ['basic-auth', 'postmark', 'chargebee'] as const;
const cases = PROVIDERS.flatMap((provider) => VECTORS.map((vector) => ({ provider, ...vector })));

describe("the Basic scheme's documented test vectors", () => {
  it.each(cases)('$provider: we send and accept $header', async ({ provider, secret, header }) => {
    const signed = signSample({ name: provider, provider, secret }, { id: 'vector-1' }, NOW);
    if (!signed.ok) throw new Error(signed.error);
    expect(signed.request.headers.Authorization).toBe(header);

    const { body, path } = signed.request;
    const withHeader = (authorization: string) =>
      verifier(provider, [secret]).verify(
        incoming({
          headers: { 'content-type': 'application/json', authorization },
          body: Buffer.from(body),
          url: path,
        }),
      );
    expect(reasonOf(await withHeader(header))).toBe('event');
    expect(reasonOf(await withHeader(header.slice(0, -4)))).not.toBe('event');
    const other = `Basic ${Buffer.from(`${secret}x`).toString('base64')}`;
    expect(reasonOf(await withHeader(other))).toBe('no_matching_secret');
  });
});

import { verify as githubVerify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { signSample } from '../src/index.ts';
import { DOCS_RECEIVERS, DOCS_SECRET } from './docs-receivers.ts';
import { incoming, NOW, verifier } from './support.ts';

/**
 * No SDK of these providers verifies a webhook, so each is checked against the receiver code in
 * its own documentation, reproduced here as written there, both ways: what our signer sends,
 * that code accepts; what that code's construction signs, our verifier accepts.
 */
const SECRET = DOCS_SECRET;

const lowerCased = (headers: Readonly<Record<string, string>>) =>
  Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

function sample(provider: string, secret: string) {
  const signed = signSample({ name: provider, provider, secret }, { id: 'ref-1' }, NOW);
  if (!signed.ok) throw new Error(signed.error);
  return signed.request;
}

describe.each(DOCS_RECEIVERS)("$provider: the docs' receiver code", (reference) => {
  const secret = reference.secret ?? SECRET;

  it('accepts what our signer sends, and refuses it under another secret', () => {
    const { headers, body } = sample(reference.provider, secret);
    expect(reference.accepts(lowerCased(headers), body, secret)).toBe(true);
    expect(reference.accepts(lowerCased(headers), body, `${secret}x`)).toBe(false);
  });

  it('signs what our verifier accepts', () => {
    const body = sample(reference.provider, 'unrelated').body;
    const headers = { 'Content-Type': 'application/json', ...reference.sign(body, secret) };
    const request = incoming({ headers, body: Buffer.from(body), url: '/webhooks/ref' });
    expect(verifier(reference.provider, [secret], reference.options).verify(request).kind).toBe(
      'event',
    );
  });
});

describe("bitbucket: GitHub's verifier, whose construction Bitbucket Cloud uses", () => {
  it('accepts what our signer sends', async () => {
    const { headers, body } = sample('bitbucket', SECRET);
    const signature = lowerCased(headers)['x-hub-signature'] ?? '';
    expect(await githubVerify(SECRET, body, signature)).toBe(true);
    expect(await githubVerify(`${SECRET}x`, body, signature)).toBe(false);
  });
});

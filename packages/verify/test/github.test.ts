import { sign, verify } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { fixture, incoming, reasonOf, verifier } from './support.ts';

const SECRET = "It's a Secret to Everybody";
const FORM = 'application/x-www-form-urlencoded';
const body = fixture('github-push.json');
const github = verifier('github', [SECRET]);
const delivery = {
  'X-GitHub-Event': 'push',
  'X-GitHub-Delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
};

const check = (headers: Record<string, string>, payload: Buffer | string = body) =>
  github.verify(incoming({ headers, body: Buffer.from(payload), url: '/webhooks/github' }));

describe('github', () => {
  it("verifies GitHub's documented test vector (whose body is not JSON: a 400, not a 401)", () => {
    const signature = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
    const result = check({ ...delivery, 'X-Hub-Signature-256': signature }, 'Hello, World!');
    expect(result).toMatchObject({ kind: 'rejected', reason: 'malformed_body' });
  });

  it('accepts what @octokit/webhooks-methods signs, and rejects what it rejects', async () => {
    const signature = await sign(SECRET, body.toString('utf8'));
    expect(check({ ...delivery, 'X-Hub-Signature-256': signature }).kind).toBe('event');
    const tampered = `${body.toString('utf8')} `;
    expect(await verify(SECRET, tampered, signature)).toBe(false);
    expect(reasonOf(check({ ...delivery, 'X-Hub-Signature-256': signature }, tampered))).toBe(
      'no_matching_secret',
    );
  });

  it('does not settle for the legacy SHA-1 signature, and never stores it', async () => {
    const legacy = `sha1=${'0'.repeat(40)}`;
    expect(reasonOf(check({ ...delivery, 'X-Hub-Signature': legacy }))).toBe('missing_signature');
    expect(github.credentialHeaders).toContain('x-hub-signature');
  });

  it('answers 400 for a verified event without X-GitHub-Delivery', async () => {
    const signature = await sign(SECRET, body.toString('utf8'));
    const { 'X-GitHub-Delivery': _dropped, ...noDelivery } = delivery;
    const result = check({ ...noDelivery, 'X-Hub-Signature-256': signature });
    expect(result).toMatchObject({ kind: 'rejected', reason: 'malformed_body' });
  });

  it('verifies a form delivery on its raw bytes, as @octokit/webhooks-methods does, and stores its JSON', async () => {
    const form = `payload=${encodeURIComponent(body.toString('utf8'))}`;
    const signature = await sign(SECRET, form);
    expect(await verify(SECRET, form, signature)).toBe(true);
    const result = github.verify(
      incoming({
        headers: { ...delivery, 'Content-Type': FORM, 'X-Hub-Signature-256': signature },
        body: Buffer.from(form),
        url: '/webhooks/github',
      }),
    );
    expect(result).toMatchObject({ kind: 'event', event: { body: body.toString('utf8') } });
  });

  it('answers 400 for a verified form delivery without a payload field', async () => {
    const form = 'ref=refs%2Fheads%2Fmain';
    const result = github.verify(
      incoming({
        headers: {
          ...delivery,
          'Content-Type': FORM,
          'X-Hub-Signature-256': await sign(SECRET, form),
        },
        body: Buffer.from(form),
        url: '/webhooks/github',
      }),
    );
    expect(result).toEqual({
      kind: 'rejected',
      reason: 'malformed_body',
      detail: 'form body needs exactly one "payload" field',
    });
  });

  it('takes the form content type', () => {
    expect(github.acceptsContentType(FORM)).toBe(true);
  });
});

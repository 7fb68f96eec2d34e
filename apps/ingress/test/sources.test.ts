import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@webhook-inbox/config';
import { describe, expect, it } from 'vitest';
import { loadIngressSources as loadSources } from '../src/sources.ts';

function sourcesFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wi-config-')), 'sources.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function loadError(content: unknown, env: Record<string, string> = {}): string {
  const file = sourcesFile(content);
  try {
    loadSources(file, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message.replace(file, 'FILE');
  }
  throw new Error('expected the sources file to be rejected');
}

describe('the sources file, as the ingress loads it', () => {
  it('loads sources, resolving env: secrets', () => {
    const file = sourcesFile([
      { name: 'payments', provider: 'hmac', secrets: ['env:PAY_SECRET', 'literal'] },
      { name: 'polka', provider: 'api-key', secret: 'k', options: { typeField: 'event' } },
    ]);
    const sources = loadSources(file, { PAY_SECRET: 's3cret' });
    expect([...sources.keys()]).toEqual(['payments', 'polka']);
    expect(sources.get('payments')?.retry).toEqual({ attempts: 8, backoffMs: 5000 });
    expect(sources.get('payments')?.verifier.credentialHeaders).toEqual(['x-signature']);
  });

  it('skips an optional env: secret that is unset, and uses it once set', async () => {
    const file = sourcesFile([
      { name: 'payments', provider: 'hmac', secrets: ['env:CURRENT', 'env:PREVIOUS?'] },
    ]);
    const verifierFor = (env: Record<string, string>) =>
      loadSources(file, env).get('payments')?.verifier;
    const sign = (secret: string) =>
      `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const body = Buffer.from('{"id":"evt_1","type":"t"}');
    const verify = async (env: Record<string, string>, secret: string) =>
      (
        await verifierFor(env)?.verify({
          headers: { 'x-signature': sign(secret) },
          rawBody: body,
          url: '/webhooks/payments',
          now: new Date(),
        })
      )?.kind;

    expect(await verify({ CURRENT: 'new', PREVIOUS: '' }, 'new')).toBe('event');
    expect(await verify({ CURRENT: 'new' }, 'old')).toBe('rejected');
    expect(await verify({ CURRENT: 'new', PREVIOUS: 'old' }, 'old')).toBe('event');
  });

  it.each([
    ['not JSON', '{', /^FILE: not valid JSON/],
    ['not an array', { name: 'x' }, /^FILE: must be a JSON array of sources$/],
    [
      'unknown provider',
      [{ name: 'a', provider: 'pigeon', secret: 's' }],
      /^FILE: entry 0 \("a"\): unknown provider "pigeon" \(known: .*hmac.*\)$/,
    ],
    [
      'no secret',
      [{ name: 'a', provider: 'hmac' }],
      /^FILE: entry 0 \("a"\): needs "secret" or "secrets"$/,
    ],
    [
      'unset env secret',
      [{ name: 'a', provider: 'hmac', secret: 'env:NOPE' }],
      /^FILE: entry 0 \("a"\): secret env:NOPE: environment variable NOPE is not set$/,
    ],
    [
      'only optional secrets, all unset',
      [{ name: 'a', provider: 'hmac', secrets: ['env:NOPE?'] }],
      /^FILE: entry 0 \("a"\): no secret is set \(env:NOPE\? are all unset\)$/,
    ],
    [
      'empty secret',
      [{ name: 'a', provider: 'hmac', secret: '' }],
      /^FILE: entry 0 \("a"\): secret: secret is empty$/,
    ],
    [
      'bad name',
      [{ name: 'Bad Name', provider: 'hmac', secret: 's' }],
      /^FILE: entry 0 \("Bad Name"\): name: must be lower-case/,
    ],
    [
      'duplicate name',
      [
        { name: 'a', provider: 'hmac', secret: 's' },
        { name: 'a', provider: 'hmac', secret: 's' },
      ],
      /^FILE: entry 1 \("a"\): duplicate name$/,
    ],
    [
      'unknown option',
      [{ name: 'a', provider: 'hmac', secret: 's', options: { hedaer: 'x' } }],
      /^FILE: entry 0 \("a"\): options: Unrecognized key: "hedaer"$/,
    ],
    [
      'bad option value',
      [{ name: 'a', provider: 'hmac', secret: 's', options: { algorithm: 'md5' } }],
      /^FILE: entry 0 \("a"\): options\.algorithm: /,
    ],
    [
      'unknown field',
      [{ name: 'a', provider: 'hmac', secret: 's', sekret: 'x' }],
      /^FILE: entry 0 \("a"\): .*sekret/,
    ],
    [
      'bad retry',
      [{ name: 'a', provider: 'hmac', secret: 's', retry: { attempts: 0 } }],
      /^FILE: entry 0 \("a"\): retry\.attempts: /,
    ],
  ])('rejects %s with one line naming the entry and the problem', (_name, content, expected) => {
    expect(loadError(content)).toMatch(expected);
  });

  it('names the file when it cannot be read', () => {
    expect(() => loadSources('/nonexistent/sources.json', {})).toThrow(
      'cannot read the sources file (set SOURCES_FILE)',
    );
  });

  it('never puts a secret in an error', () => {
    const message = loadError([
      { name: 'a', provider: 'hmac', secret: 'topsecret', options: { nope: 1 } },
    ]);
    expect(message).not.toContain('topsecret');
  });

  it('warns about a secret shorter than 16 bytes, naming the source but never the secret', () => {
    const file = sourcesFile([
      {
        name: 'payments',
        provider: 'hmac',
        secrets: ['short-secret', 'a-long-random-secret-1234'],
      },
      { name: 'polka', provider: 'api-key', secret: 'sixteen-bytes-ok' },
    ]);
    const sources = loadSources(file, {});
    expect(sources.get('payments')?.warnings).toEqual([
      'source "payments": secret 1 of 2 is shorter than 16 bytes; use a long random secret',
    ]);
    expect(sources.get('polka')?.warnings).toEqual([]);
  });

  it("takes a per-source dedupeBySignedContent beside any provider's own options", () => {
    expect(
      loadError([
        { name: 'gh', provider: 'github', secret: 's', options: { dedupeBySignedContent: 'no' } },
      ]),
    ).toMatch(/^FILE: entry 0 \("gh"\): options\.dedupeBySignedContent: /);
    const file = sourcesFile([
      { name: 'gh', provider: 'github', secret: 's', options: { dedupeBySignedContent: false } },
    ]);
    expect(loadSources(file, {}).get('gh')?.provider).toBe('github');
  });
});

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readSourcesFile, type SourceSpec } from '../src/index.ts';

function sourcesFile(content: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'wi-config-')), 'sources.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

const asIs = (spec: SourceSpec) => spec;

describe('the sources loader', () => {
  it('resolves secrets in order, skipping unset optional ones, and applies defaults', () => {
    const file = sourcesFile([
      { name: 'a', provider: 'anything', secrets: ['env:NEW', 'env:OLD?', 'literal'] },
    ]);
    expect(readSourcesFile(file).resolve({ NEW: 'n' }, asIs).get('a')).toEqual({
      name: 'a',
      provider: 'anything',
      secrets: ['n', 'literal'],
      options: undefined,
      retry: { attempts: 8, backoffMs: 5000 },
    });
  });

  it('names the entry in front of what the assembler throws', () => {
    const file = sourcesFile([{ name: 'a', provider: 'p', secret: 's' }]);
    const refuse = () => {
      throw new Error('cannot build');
    };
    expect(() => readSourcesFile(file).resolve({}, refuse)).toThrow(ConfigError);
    expect(() => readSourcesFile(file).resolve({}, refuse)).toThrow(
      /: entry 0 \("a"\): cannot build$/,
    );
  });

  it('leaves building to the caller, so it needs no provider code', () => {
    const file = sourcesFile([{ name: 'a', provider: 'not-a-provider-here', secret: 's' }]);
    expect(
      readSourcesFile(file)
        .resolve({}, (spec) => spec.provider)
        .get('a'),
    ).toBe('not-a-provider-here');
  });

  it.each([
    ['a literal', { secret: ' \t ' }, {}, /: entry 0 \("a"\): secret: secret is only whitespace$/],
    [
      'an environment variable',
      { secret: 'env:BLANK' },
      { BLANK: '  \n' },
      /: entry 0 \("a"\): secret env:BLANK: environment variable BLANK is only whitespace$/,
    ],
    [
      'an optional environment variable',
      { secrets: ['s', 'env:BLANK?'] },
      { BLANK: ' ' },
      /: entry 0 \("a"\): secret env:BLANK\?: environment variable BLANK is only whitespace$/,
    ],
  ])('refuses a whitespace-only secret from %s in one line', (_from, secret, env, expected) => {
    const file = sourcesFile([{ name: 'a', provider: 'p', ...secret }]);
    expect(() => readSourcesFile(file).resolve(env, asIs)).toThrow(ConfigError);
    expect(() => readSourcesFile(file).resolve(env, asIs)).toThrow(expected);
  });

  it('reads each source handler deadline, leaving the others to the default', () => {
    const file = sourcesFile([
      { name: 'slow', provider: 'p', secret: 's', handlerTimeoutMs: 120_000 },
      { name: 'plain', provider: 'p', secret: 's' },
    ]);
    expect(readSourcesFile(file).handlerTimeouts()).toEqual(new Map([['slow', 120_000]]));
    const bad = sourcesFile([{ name: 'x', provider: 'p', secret: 's', handlerTimeoutMs: 0 }]);
    expect(() => readSourcesFile(bad).handlerTimeouts()).toThrow(
      /entry 0 \("x"\): handlerTimeoutMs: /,
    );
  });

  it('gives each source of a provider its options, without resolving any secret', () => {
    const file = sourcesFile([
      { name: 'orders', provider: 'aws-sns', secret: 'env:UNSET_TOPIC', options: { a: 1 } },
      { name: 'bare', provider: 'aws-sns', secret: 'env:UNSET_TOPIC' },
      { name: 'billing', provider: 'stripe', secret: 's' },
    ]);
    expect(readSourcesFile(file).optionsOf('aws-sns')).toEqual(
      new Map([
        ['orders', { a: 1 }],
        ['bare', undefined],
      ]),
    );
  });

  it('lets retention drop keys only of sources whose providers always check a signed timestamp', () => {
    const file = sourcesFile([
      { name: 'billing', provider: 'stripe', secret: 's' },
      { name: 'repo', provider: 'github', secret: 's' },
      { name: 'orders', provider: 'hmac', secret: 's' },
      { name: 'chat', provider: 'slack', secret: 's' },
    ]);
    const timestamped = new Set(['stripe', 'slack']);
    expect(
      readSourcesFile(file).timestampedSources((provider) => timestamped.has(provider)),
    ).toEqual(['billing', 'chat']);
  });

  it('lists each env: secret reference for a health check, literals left out', () => {
    const file = sourcesFile([
      { name: 'a', provider: 'p', secrets: ['env:NEW', 'env:OLD?', 'literal'] },
      { name: 'b', provider: 'p', secret: 'env:B' },
    ]);
    expect(readSourcesFile(file).secretReferences({ NEW: 'n', B: '' })).toEqual([
      { source: 'a', variable: 'NEW', optional: false, set: true },
      { source: 'a', variable: 'OLD', optional: true, set: false },
      { source: 'b', variable: 'B', optional: false, set: false },
    ]);
  });
});

describe('destinations in the sources file', () => {
  const file = () =>
    sourcesFile([
      {
        name: 'stripe',
        provider: 'stripe',
        secret: 's',
        destinations: [
          { name: 'billing', secrets: ['env:BILLING', 'env:BILLING_NEXT?'], types: ['invoice.*'] },
          { name: 'audit', secret: 'env:AUDIT' },
        ],
      },
      { name: 'plain', provider: 'hmac', secret: 's' },
    ]);

  it('hands each entry, secrets unresolved, to the route parser', () => {
    const routes = readSourcesFile(file()).destinationRoutes((raw) => raw.name);
    expect([...routes]).toEqual([['stripe', ['billing', 'audit']]]);
  });

  it('resolves env: secrets before the full parser sees them', () => {
    const parsed = readSourcesFile(file()).destinations({ BILLING: 'b1', AUDIT: 'a1' }, (raw) => [
      raw.secret,
      raw.secrets,
    ]);
    expect(parsed.get('stripe')).toEqual([
      [undefined, ['b1']],
      ['a1', undefined],
    ]);
  });

  it('names the source and the destination of an unset secret', () => {
    expect(() => readSourcesFile(file()).destinations({ BILLING: 'b' }, (raw) => raw)).toThrow(
      /entry 0 \("stripe"\): destination "audit": secret env:AUDIT: environment variable AUDIT is not set/,
    );
  });

  it('refuses two destinations of one source with the same name', () => {
    const twice = sourcesFile([
      {
        name: 'a',
        provider: 'p',
        secret: 's',
        destinations: [{ name: 'x' }, { name: 'x' }],
      },
    ]);
    expect(() => readSourcesFile(twice).destinationRoutes((raw) => raw)).toThrow(
      /destination "x": duplicate name/,
    );
  });
});

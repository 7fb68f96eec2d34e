import { sign } from '@octokit/webhooks-methods';
import { describe, expect, it } from 'vitest';
import { nestsDeeperThan, numberBeyond } from '../src/body.ts';
import { createVerifier, DEFAULT_EVENT_LIMITS } from '../src/index.ts';
import { fixture, incoming } from './support.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{}', 0, true],
    [nested(128), 128, false],
    [nested(129), 128, true],
    ['{"a":[{"b":[1]}]}', 4, false],
    ['{"a":[{"b":[1]}]}', 3, true],
    // Brackets inside strings, escaped quotes and escaped backslashes are text, not nesting.
    [`{"text":"${'['.repeat(500)}"}`, 1, false],
    ['{"q":"\\"[[[","r":[1]}', 2, false],
    ['{"q":"\\\\","r":[[1]]}', 2, true],
  ])('%s deeper than %i: %s', (text, max, expected) => {
    expect(nestsDeeperThan(text, max)).toBe(expected);
  });

  it('scans a depth no recursive walk could take', () => {
    expect(nestsDeeperThan(nested(1_000_000), 128)).toBe(true);
  });
});

describe('numberBeyond', () => {
  const bounds = { maxExponent: 308, maxDigits: 100 };
  it.each([
    ['{"a":1e308,"b":-1.5E-308,"c":0.5e+10}', false],
    ['{"a":1e309}', true],
    ['{"a":-2.5E-400}', true],
    ['{"a":1e+0000000000000000000000000000999}', true],
    [`{"a":${'9'.repeat(100)}}`, false],
    [`{"a":1.${'0'.repeat(100)}}`, true],
    // Numbers written inside strings, keys and escapes included, are text.
    ['{"1e131071":"1e131071","q":"\\"1e999","r":[1]}', false],
  ])('%s: %s', (text, expected) => {
    expect(numberBeyond(text, bounds)).toBe(expected);
  });
});

describe('rules every source shares', () => {
  const SECRET = 'a-github-secret-of-some-length';
  const body = fixture('github-push.json');
  const delivery = async (id: string) =>
    incoming({
      headers: {
        'content-type': 'application/json',
        'x-hub-signature-256': await sign(SECRET, body.toString('utf8')),
        'x-github-event': 'push',
        'x-github-delivery': id,
      },
      body,
      url: '/webhooks/github',
    });

  it('keys an event named by an unsigned header on its signed content by default', async () => {
    const result = await createVerifier('github', {}, [SECRET]).verify(await delivery('d-1'));
    expect(result.kind === 'event' && result.event.signedContentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('leaves the signed content unset when the source turns that off', async () => {
    const github = createVerifier('github', { dedupeBySignedContent: false }, [SECRET]);
    const result = await github.verify(await delivery('d-1'));
    expect(result).toMatchObject({ kind: 'event', event: { eventId: 'd-1' } });
    expect(result.kind === 'event' && 'signedContentSha256' in result.event).toBe(false);
  });

  it('refuses an ID past 256 characters, from a header as from a body', async () => {
    const github = createVerifier('github', {}, [SECRET]);
    expect((await github.verify(await delivery('d'.repeat(256)))).kind).toBe('event');
    expect(await github.verify(await delivery('d'.repeat(257)))).toEqual({
      kind: 'rejected',
      reason: 'malformed_body',
      detail: 'event ID is longer than 256 characters',
    });
  });

  it('applies the nesting limit it is given', async () => {
    const shallow = createVerifier('github', {}, [SECRET], {
      ...DEFAULT_EVENT_LIMITS,
      maxJsonDepth: 2,
    });
    expect(await shallow.verify(await delivery('d-2'))).toEqual({
      kind: 'rejected',
      reason: 'malformed_body',
      detail: 'body nests deeper than 2 levels',
    });
  });
});

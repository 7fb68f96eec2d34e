import { describe, expect, it } from 'vitest';
import { hasSignedTimestamp } from '../src/index.ts';
import { CASES, type ProviderCase } from './cases/index.ts';
import {
  headerOf,
  incoming,
  NOW,
  reasonOf,
  type SignedRequest,
  secondsFrom,
  verifier,
  withHeader,
} from './support.ts';

const build = (c: ProviderCase, secrets = [c.secret]) => verifier(c.provider, secrets, c.options);
const verify = (c: ProviderCase, request: SignedRequest, secrets = [c.secret], now = NOW) =>
  build(c, secrets).verify(incoming(request, now));

describe.each(CASES)('$label', (c) => {
  it('accepts what the sender signed and names the event', async () => {
    const result = verify(c, await c.sign(c.secret, NOW));
    expect(result).toMatchObject({ kind: 'event', event: c.expected });
    if (result.kind !== 'event') return;
    expect(JSON.parse(result.event.body)).toBeTypeOf('object');
  });

  it(
    c.credentialOnly
      ? 'cannot tell a tampered body: no signature covers it'
      : 'rejects a tampered body',
    async () => {
      const request = await c.sign(c.secret, NOW);
      const tampered = Buffer.from(
        request.body.toString('utf8').replace(/.$/s, (last) => ` ${last}`),
      );
      const expected = c.credentialOnly ? 'event' : 'no_matching_secret';
      expect(reasonOf(verify(c, { ...request, body: tampered }))).toBe(expected);
    },
  );

  it('rejects a wrong secret', async () => {
    expect(reasonOf(verify(c, await c.sign(c.otherSecret, NOW)))).toBe('no_matching_secret');
  });

  it('rejects a missing signature header', async () => {
    const request = withHeader(await c.sign(c.secret, NOW), c.signatureHeader, undefined);
    expect(reasonOf(verify(c, request))).toBe('missing_signature');
  });

  it('rejects a garbled signature header', async () => {
    const request = withHeader(await c.sign(c.secret, NOW), c.signatureHeader, 'garbage!! ;,=');
    expect(reasonOf(verify(c, request))).toBe(c.garbled);
  });

  it('rejects a signature cut short', async () => {
    const request = await c.sign(c.secret, NOW);
    const sent = headerOf(request, c.signatureHeader);
    for (const cut of [1, 4, Math.floor(sent.length / 2)]) {
      const truncated = withHeader(request, c.signatureHeader, sent.slice(0, -cut));
      expect(verify(c, truncated).kind, `cut by ${cut}`).toBe('rejected');
    }
  });

  it('accepts either secret while one is rotated out', async () => {
    const secrets = [c.otherSecret, c.secret];
    expect(verify(c, await c.sign(c.secret, NOW), secrets).kind).toBe('event');
    expect(verify(c, await c.sign(c.otherSecret, NOW), secrets).kind).toBe('event');
  });

  it('finds its headers whatever case the sender writes them in', async () => {
    const request = await c.sign(c.secret, NOW);
    const upper = Object.fromEntries(
      Object.entries(request.headers).map(([name, value]) => [name.toUpperCase(), value]),
    );
    expect(verify(c, { ...request, headers: upper }).kind).toBe('event');
  });

  it('names a retry as the same event, so the dedupe catches a replay', async () => {
    const request = await c.sign(c.secret, NOW);
    const first = verify(c, request);
    const again = verify(c, request);
    expect(first).toEqual(again);
  });

  const idHeader = c.unsignedIdHeader;
  if (idHeader === undefined) {
    it('needs no replay digest: its ID is signed, or nothing is', async () => {
      const result = verify(c, await c.sign(c.secret, NOW));
      expect(result.kind === 'event' && result.event.signedContentSha256).toBeUndefined();
    });
  } else {
    it(`marks an event named by the unsigned ${idHeader} with the signed content's digest`, async () => {
      const request = await c.sign(c.secret, NOW);
      const first = verify(c, request);
      const renamed = verify(c, withHeader(request, idHeader, 'replayed-under-a-new-id'));
      if (first.kind !== 'event' || renamed.kind !== 'event') throw new Error('not accepted');
      expect(renamed.event.eventId).toBe('replayed-under-a-new-id');
      expect(first.event.signedContentSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(renamed.event.signedContentSha256).toBe(first.event.signedContentSha256);
    });
  }

  it('lists its signature header among the headers never stored', () => {
    expect(build(c).credentialHeaders).toContain(c.signatureHeader.toLowerCase());
    expect(build(c).acceptsContentType('application/json; charset=utf-8')).toBe(true);
    expect(build(c).acceptsContentType('text/plain')).toBe(false);
  });

  it('never echoes the secret, the signature or a header in a rejection', async () => {
    const request = await c.sign(c.secret, NOW);
    const sent = headerOf(request, c.signatureHeader);
    const rejections = [
      verify(c, request, [c.otherSecret]),
      verify(c, { ...request, body: Buffer.from('{"x":1}') }),
      verify(c, withHeader(request, c.signatureHeader, `${sent}x`)),
      verify(c, request, [c.secret], secondsFrom(NOW, 86_400)),
    ];
    for (const rejection of rejections) {
      const text = JSON.stringify(rejection);
      expect(text).not.toContain(c.secret);
      expect(text).not.toContain(sent.slice(-16));
    }
  });

  const tolerance = c.toleranceSeconds;
  // Retention deletes the dedupe keys of exactly these providers' sources.
  if (hasSignedTimestamp(c.provider) || c.options === undefined) {
    it(`${hasSignedTimestamp(c.provider) ? 'declares' : 'does not declare'} a signed timestamp`, () => {
      expect(hasSignedTimestamp(c.provider)).toBe(tolerance !== undefined);
    });
  }
  if (tolerance === undefined) {
    it('has no timestamp to check: a replay is caught by the dedupe alone', async () => {
      const weekOld = await c.sign(c.secret, secondsFrom(NOW, -7 * 86_400));
      expect(verify(c, weekOld)).toMatchObject({ kind: 'event', event: c.expected });
    });
    return;
  }

  it(`accepts a timestamp ${tolerance} s either side of now`, async () => {
    expect(verify(c, await c.sign(c.secret, secondsFrom(NOW, -tolerance))).kind).toBe('event');
    expect(verify(c, await c.sign(c.secret, secondsFrom(NOW, tolerance))).kind).toBe('event');
  });

  it('rejects a stale timestamp', async () => {
    const stale = await c.sign(c.secret, secondsFrom(NOW, -tolerance - 1));
    expect(reasonOf(verify(c, stale))).toBe('stale_timestamp');
  });

  it('rejects a timestamp from the future', async () => {
    const future = await c.sign(c.secret, secondsFrom(NOW, tolerance + 1));
    expect(reasonOf(verify(c, future))).toBe('stale_timestamp');
  });
});

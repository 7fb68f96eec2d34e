import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Verification } from '../src/index.ts';
import { CASES } from './cases/index.ts';
import { headerOf, incoming, NOW, type SignedRequest, verifier, withHeader } from './support.ts';

const PRINTABLE = { min: 0x20, max: 0x7e };

/** A single byte replaced by a different one, anywhere in `length` from `from`. */
const change = (length: number, from: number, byte: { min: number; max: number }) =>
  fc.record({ at: fc.integer({ min: from, max: length - 1 }), value: fc.integer(byte) });

describe.each(CASES)('$label: any single-byte change is rejected', (c) => {
  let signed: SignedRequest;
  let original: Verification;
  const check = (request: SignedRequest) =>
    verifier(c.provider, [c.secret], c.options).verify(incoming(request));

  beforeAll(async () => {
    signed = await c.sign(c.secret, NOW);
    original = check(signed);
    expect(original.kind).toBe('event');
  });

  it.skipIf(c.credentialOnly)('in the body', () => {
    fc.assert(
      fc.property(change(signed.body.length, 0, { min: 0, max: 255 }), ({ at, value }) => {
        fc.pre(signed.body[at] !== value);
        const body = Buffer.from(signed.body);
        body[at] = value;
        const result = check({ ...signed, body });
        if (c.signsDecodedForm && result.kind === 'event') {
          // Twilio signs the decoded parameters: `+` and `%20` are one space, one request.
          expect(result).toEqual(original);
        } else {
          expect(result.kind).toBe('rejected');
        }
      }),
      { numRuns: 300 },
    );
  });

  const headers = [c.signatureHeader, ...(c.signedHeaders ?? [])];
  it.each(headers)('in the %s header (signature or signed timestamp/ID)', (name) => {
    const value = headerOf(signed, name);
    const from = name === c.signatureHeader ? (c.signatureFrom ?? 0) : 0;
    fc.assert(
      fc.property(change(value.length, from, PRINTABLE), ({ at, value: code }) => {
        const changed = value.slice(0, at) + String.fromCharCode(code) + value.slice(at + 1);
        fc.pre(changed !== value);
        expect(check(withHeader(signed, name, changed)).kind).toBe('rejected');
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import { decodeSignature } from '../src/crypto.ts';
import { compileTemplate, signedMessage } from '../src/engine/template.ts';
import { publicUrlOf } from '../src/public-url.ts';
import { parseTimestamp } from '../src/timestamp.ts';

describe('signature decoding', () => {
  it('accepts only the canonical spelling', () => {
    expect(decodeSignature('0aff', 'hex')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(decodeSignature('0AFF', 'hex')).toEqual(Buffer.from([0x0a, 0xff]));
    expect(decodeSignature('0aFf', 'hex')).toBeUndefined();
    expect(decodeSignature('0af', 'hex')).toBeUndefined();
    expect(decodeSignature('QQ==', 'base64')).toEqual(Buffer.from('A'));
    expect(decodeSignature('QR==', 'base64')).toBeUndefined();
    expect(decodeSignature('QQ', 'base64')).toBeUndefined();
    expect(decodeSignature('Q-==', 'base64')).toBeUndefined();
  });
});

describe('signed templates', () => {
  it('builds the exact bytes: the body raw, the rest as UTF-8', () => {
    const compiled = compileTemplate('v0:{timestamp}:{body}');
    if (!compiled.ok) throw new Error(compiled.error);
    const body = Buffer.from([0xff, 0x00, 0x7b]);
    const message = signedMessage(compiled.template, body, { timestamp: '17' });
    expect(message).toEqual(Buffer.concat([Buffer.from('v0:17:'), body]));
  });

  it('refuses a template that would leave the body unsigned', () => {
    expect(compileTemplate('{timestamp}.')).toEqual({
      ok: false,
      error: 'must contain {body} exactly once',
    });
  });
});

describe('public URLs', () => {
  it('joins the configured base and the path received', () => {
    expect(publicUrlOf('https://a.example/in/', '/webhooks/x?y=1')).toBe(
      'https://a.example/in/webhooks/x?y=1',
    );
  });
});

describe('timestamps', () => {
  it('reads each format strictly', () => {
    expect(parseTimestamp('1780315200', 'unix-seconds')?.toISOString()).toBe(
      '2026-06-01T12:00:00.000Z',
    );
    expect(parseTimestamp('1780315200000', 'unix-ms')?.toISOString()).toBe(
      '2026-06-01T12:00:00.000Z',
    );
    expect(parseTimestamp('2026-06-01T12:00:00Z', 'iso8601')?.toISOString()).toBe(
      '2026-06-01T12:00:00.000Z',
    );
    expect(parseTimestamp('2026-06-01T12:00:00Z', 'unix-seconds')).toBeUndefined();
    expect(parseTimestamp('-5', 'unix-seconds')).toBeUndefined();
    expect(parseTimestamp('1780315200', 'iso8601')).toBeUndefined();
  });
});

import { Writable } from 'node:stream';
import { KNOWN_CREDENTIAL_HEADERS } from '@webhook-inbox/verify';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const log = createLogger({ level: 'info', name: 'redaction-test' }, destination);
  return { log, logged: () => lines.map((line) => JSON.parse(line)) };
}

describe('logger redaction', () => {
  it('censors every credential header the stored-headers filter drops, and keeps the rest', () => {
    const { log, logged } = capture();
    const headers = {
      'x-passphrase': 'hunter2',
      'x-mfa-code': '123456',
      'plaid-verification': 'eyJhbGciOi.jwt',
      'x-square-hmacsha256-signature': 'sig-square',
      'x-twilio-signature': 'sig-twilio',
      'content-type': 'application/json',
    };
    log.info({ headers }, 'request');
    log.info({ req: { headers } }, 'request');
    const [top, nested] = logged();
    for (const logged of [top.headers, nested.req.headers]) {
      expect(logged['content-type']).toBe('application/json');
    }
    expect(top.headers).toMatchObject({
      'x-passphrase': '[redacted]',
      'x-mfa-code': '[redacted]',
      'plaid-verification': '[redacted]',
      'x-square-hmacsha256-signature': '[redacted]',
    });
    expect(nested.req.headers['x-twilio-signature']).toBe('[redacted]');
    expect(nested.req.headers['x-square-hmacsha256-signature']).toBe('[redacted]');
    expect(KNOWN_CREDENTIAL_HEADERS).toEqual(
      expect.arrayContaining(['stripe-signature', 'x-twilio-signature', 'authorization']),
    );
  });

  it('censors headers named like a credential under req.headers, not only the known names', () => {
    const { log, logged } = capture();
    log.info({ req: { method: 'POST', headers: { 'x-acme-signature': 'sig', accept: '*/*' } } });
    const [line] = logged();
    expect(line.req).toEqual({
      method: 'POST',
      headers: { 'x-acme-signature': '[redacted]', accept: '*/*' },
    });
  });

  it('censors secrets at the top level and one level down, and leaves the object logged alone', () => {
    const { log, logged } = capture();
    const source = { name: 'payments', secret: 'whsec_1', secrets: ['old', 'new'] };
    log.info({ secret: 's3', source, count: 2, err: new Error('boom') }, 'configured');
    const [line] = logged();
    expect(line.secret).toBe('[redacted]');
    expect(line.source).toEqual({ name: 'payments', secret: '[redacted]', secrets: '[redacted]' });
    expect(line.count).toBe(2);
    expect(line.err.message).toBe('boom');
    expect(source.secret).toBe('whsec_1');
  });

  it("censors a child logger's bound secret and known credential headers", () => {
    const { log, logged } = capture();
    log.child({ secret: 'whsec_2', headers: { authorization: 'Bearer x' } }).info('hi');
    const [line] = logged();
    expect(line.secret).toBe('[redacted]');
    expect(line.headers.authorization).toBe('[redacted]');
    expect(JSON.stringify(line)).not.toMatch(/whsec_2|Bearer x/);
  });
});

import { Writable } from 'node:stream';
import { KNOWN_CREDENTIAL_HEADERS } from '@webhook-inbox/credential-headers';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/index.ts';

describe('logger redaction', () => {
  it('censors every credential header the stored-headers filter drops, and keeps the rest', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = createLogger({ level: 'info', name: 'redaction-test' }, destination);
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
    const [top, nested] = lines.map((line) => JSON.parse(line));
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
});

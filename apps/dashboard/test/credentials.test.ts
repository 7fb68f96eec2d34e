import { describe, expect, it } from 'vitest';
import {
  hashedCredentials,
  hashPassword,
  parsePasswordHash,
  passwordCredentials,
} from '../src/credentials.ts';
import { isLoopback } from '../src/env.ts';

describe('credentials', () => {
  it('admits only the configured user with the configured password', async () => {
    const credentials = passwordCredentials('admin', 'a long enough password');
    expect(await credentials.verify('admin', 'a long enough password')).toBe(true);
    expect(await credentials.verify('admin', 'a long enough passwore')).toBe(false);
    expect(await credentials.verify('Admin', 'a long enough password')).toBe(false);
    expect(await credentials.verify('admin', '')).toBe(false);
  });

  it('checks a password against its scrypt hash, salted per hash', async () => {
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await hashPassword('a long enough password')).not.toBe(hash);
    const parsed = parsePasswordHash(hash);
    if (!parsed) throw new Error('hash did not parse');
    const credentials = hashedCredentials('admin', parsed);
    expect(await credentials.verify('admin', 'a long enough password')).toBe(true);
    expect(await credentials.verify('admin', 'a long enough passwor')).toBe(false);
  });

  it('rejects malformed hashes', () => {
    expect(parsePasswordHash('scrypt$x$8$1$c2FsdHNhbHQ=$aGFzaA==')).toBeUndefined();
    expect(parsePasswordHash('bcrypt$10$abc')).toBeUndefined();
    expect(parsePasswordHash('scrypt$16384$8$1$c2FsdHNhbHQ=$c2hvcnQ=')).toBeUndefined();
  });
});

describe('isLoopback', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost'])
      expect(isLoopback(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.7', 'dashboard.example.com'])
      expect(isLoopback(host)).toBe(false);
  });
});

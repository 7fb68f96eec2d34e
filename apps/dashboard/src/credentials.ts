import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

interface ScryptCost {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** The operator the dashboard admits: one user name and a password check. */
export interface Credentials {
  readonly user: string;
  verify(user: string, password: string): Promise<boolean>;
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

function scryptAsync(password: string, salt: Buffer, length: number, options: ScryptCost) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(
      password,
      salt,
      length,
      { ...options, maxmem: 256 * options.N * options.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

// Digests first: timingSafeEqual needs equal lengths, and comparing digests leaks no length.
export function sameText(a: string, b: string): boolean {
  return timingSafeEqual(
    createHash('sha256').update(a).digest(),
    createHash('sha256').update(b).digest(),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, SCRYPT);
  return [
    'scrypt',
    SCRYPT.N,
    SCRYPT.r,
    SCRYPT.p,
    salt.toString('base64'),
    key.toString('base64'),
  ].join('$');
}

export interface ParsedHash {
  readonly options: ScryptCost;
  readonly salt: Buffer;
  readonly key: Buffer;
}

export function parsePasswordHash(hash: string): ParsedHash | undefined {
  const [scheme, n, r, p, salt, key] = hash.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return undefined;
  const options = { N: Number(n), r: Number(r), p: Number(p) };
  if (!Object.values(options).every((value) => Number.isSafeInteger(value) && value > 0))
    return undefined;
  const parsed = { options, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
  return parsed.key.length >= 16 && parsed.salt.length >= 8 ? parsed : undefined;
}

export function passwordCredentials(user: string, password: string): Credentials {
  return {
    user,
    // Both compared every time, so a wrong user name takes as long as a wrong password.
    verify: async (givenUser, givenPassword) =>
      [sameText(givenUser, user), sameText(givenPassword, password)].every(Boolean),
  };
}

export function hashedCredentials(user: string, hash: ParsedHash): Credentials {
  return {
    user,
    async verify(givenUser, givenPassword) {
      const key = await scryptAsync(givenPassword, hash.salt, hash.key.length, hash.options);
      return [sameText(givenUser, user), timingSafeEqual(key, hash.key)].every(Boolean);
    },
  };
}

/** For a loopback dashboard started without a password: printed once, never stored. */
export function oneTimePassword(): string {
  return randomBytes(18).toString('base64url');
}

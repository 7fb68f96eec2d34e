import { ConfigError, commonEnv, parseEnv } from '@webhook-inbox/config';
import { z } from 'zod';
import { type ParsedHash, parsePasswordHash } from './credentials.ts';

const flag = z
  .enum(['true', 'false', '1', '0'])
  .default('false')
  .transform((value) => value === 'true' || value === '1');

const dashboardEnv = {
  ...commonEnv,
  /** The operators' port; never the public ingress port. */
  DASHBOARD_PORT: z.coerce.number().int().min(0).max(65_535).default(3001),
  /** Interface to listen on. Off loopback, credentials are required. */
  DASHBOARD_HOST: z.string().min(1).default('127.0.0.1'),
  DASHBOARD_USER: z.string().min(1).default('admin'),
  /** The operator's password; or give DASHBOARD_PASSWORD_HASH instead. */
  DASHBOARD_PASSWORD: z.string().min(12, 'at least 12 characters').optional(),
  /** `scrypt$N$r$p$salt$hash` (base64), from `npm run dashboard:hash-password`. */
  DASHBOARD_PASSWORD_HASH: z
    .string()
    .startsWith('scrypt$', 'expected scrypt$N$r$p$salt$hash')
    .optional(),
  /** Mark the session cookie Secure: set it when the dashboard is served over TLS. */
  DASHBOARD_SECURE_COOKIE: flag,
  /**
   * Signs session cookies (at least 32 characters). Unset, a random key is made at start-up and
   * sessions end when the process does; set it to keep them across restarts and replicas.
   */
  DASHBOARD_SESSION_SECRET: z.string().min(32, 'at least 32 characters').optional(),
  /** Lets automation call /api/ with `Authorization: Bearer <token>` (at least 32 characters). */
  DASHBOARD_API_TOKEN: z.string().min(32, 'at least 32 characters').optional(),
};

export type DashboardEnv = z.infer<z.ZodObject<typeof dashboardEnv>> & {
  /** DASHBOARD_PASSWORD_HASH, parsed once here. */
  readonly passwordHash: ParsedHash | undefined;
};

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
}

export function readDashboardEnv(env = process.env): DashboardEnv {
  const settings = parseEnv(dashboardEnv, env);
  if (settings.DASHBOARD_PASSWORD && settings.DASHBOARD_PASSWORD_HASH) {
    throw new ConfigError('set DASHBOARD_PASSWORD or DASHBOARD_PASSWORD_HASH, not both');
  }
  const passwordHash = settings.DASHBOARD_PASSWORD_HASH
    ? parsePasswordHash(settings.DASHBOARD_PASSWORD_HASH)
    : undefined;
  if (settings.DASHBOARD_PASSWORD_HASH && !passwordHash) {
    throw new ConfigError(
      'DASHBOARD_PASSWORD_HASH: not a password hash; make one with `npm run dashboard:hash-password`',
    );
  }
  const hasPassword = settings.DASHBOARD_PASSWORD || settings.DASHBOARD_PASSWORD_HASH;
  if (!hasPassword && !isLoopback(settings.DASHBOARD_HOST)) {
    throw new ConfigError(
      `DASHBOARD_PASSWORD (or DASHBOARD_PASSWORD_HASH) is required when DASHBOARD_HOST is ${settings.DASHBOARD_HOST}; only a loopback host may run with a generated one-time password`,
    );
  }
  return { ...settings, passwordHash };
}

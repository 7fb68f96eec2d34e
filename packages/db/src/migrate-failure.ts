/** The network errors that mean nothing answered at DATABASE_URL's host and port. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ETIMEDOUT', 'EHOSTUNREACH']);

/** The resolver's errors: DATABASE_URL's host name names no machine (or DNS is away). */
const UNRESOLVED = new Set(['ENOTFOUND', 'EAI_AGAIN']);

/** Postgres's codes for a login it refused: no such role, a wrong password, no pg_hba entry. */
const LOGIN_REFUSED = new Set(['28000', '28P01']);

/**
 * One line for a migration that failed, saying what to do when the cause is where
 * DATABASE_URL points. Names the host, port and user, never the password.
 */
export function describeMigrationFailure(error: unknown, databaseUrl: string): string {
  const { code, message } = error as { code?: string; message?: string };
  const url = new URL(databaseUrl);
  const at = `${url.hostname}:${url.port || '5432'}`;
  if (code && UNREACHABLE.has(code)) {
    return `migration failed: no Postgres answers at ${at} (${code}): start it, or set DATABASE_URL to where it runs`;
  }
  if (code && UNRESOLVED.has(code)) {
    return `migration failed: cannot resolve ${url.hostname} (${code}): set DATABASE_URL to where Postgres runs`;
  }
  if (code && LOGIN_REFUSED.has(code)) {
    const user = decodeURIComponent(url.username) || 'the default user';
    return `migration failed: Postgres at ${at} refused ${user} (${message}): fix the user or password in DATABASE_URL`;
  }
  return `migration failed: ${message ?? String(error)}`;
}

import type pg from 'pg';

/**
 * Runs `work` on a connection of its own while it holds the session advisory lock `key`, so the
 * work's statements commit one by one under it. Undefined when another session holds the lock.
 * Should the unlock fail, the connection is destroyed rather than pooled: its session ends, and
 * the lock with it.
 */
export async function withSessionLock<T>(
  pool: pg.Pool,
  key: number,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T | undefined> {
  const client = await pool.connect();
  let held = false;
  let unlockError: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'select pg_try_advisory_lock($1) as locked',
      [key],
    );
    held = rows[0]?.locked === true;
    return held ? await work(client) : undefined;
  } finally {
    if (held) {
      await client.query('select pg_advisory_unlock($1)', [key]).catch((error: Error) => {
        unlockError = error;
      });
    }
    client.release(unlockError);
  }
}

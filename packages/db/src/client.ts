import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

export type Database = NodePgDatabase<typeof schema>;
/** What a handler gets: its writes commit with the event's `processed` mark, or not at all. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbClient {
  /** node-postgres, for the few hot or hand-written statements. */
  readonly pool: pg.Pool;
  readonly db: Database;
  /** Rows of one parameterised statement (`$1`, `$2`, …). */
  query<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export interface DbOptions {
  max?: number;
  /** Milliseconds; short, so an unreachable Postgres becomes a 503 quickly rather than a hang. */
  connectTimeoutMs?: number;
  /** Postgres cancels any statement running longer (a lock wait included); none by default. */
  statementTimeoutMs?: number;
}

// node-postgres, not postgres.js: postgres.js 3.4.9 strands queries for ever when connections
// are reset mid-query and a reconnect fails (a Postgres restart behind a proxy), which the
// fault tests reproduce (porsager/postgres#1193, #1186); node-postgres fails them and recovers.
export function createDb(url: string, options: DbOptions = {}): DbClient {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    ...(options.statementTimeoutMs !== undefined && {
      statement_timeout: options.statementTimeoutMs,
    }),
  });
  // A connection dying is reported as an 'error' event: on the pool for idle clients, on the
  // client itself while it is checked out (in a transaction). Unheard, either would crash the
  // process; the query in flight is rejected anyway and the pool drops the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return {
    pool,
    db: drizzle(pool, { schema }),
    query: async (text, values) => (await pool.query(text, values)).rows,
    close: () => pool.end(),
  };
}

/** Whether Postgres answers within `timeoutMs`; never throws. */
export async function postgresAnswers(pool: pg.Pool, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([pool.query('select 1').then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema/index.ts';

export type Database = PostgresJsDatabase<typeof schema>;
/** What a handler gets: its writes commit with the event's `processed` mark, or not at all. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbClient {
  /** postgres.js, for the few hot or hand-written statements. */
  readonly sql: postgres.Sql;
  readonly db: Database;
  close(): Promise<void>;
}

export interface DbOptions {
  max?: number;
  /** Seconds; short, so an unreachable Postgres becomes a 503 quickly rather than a hang. */
  connectTimeout?: number;
}

export function createDb(url: string, options: DbOptions = {}): DbClient {
  const sql = postgres(url, {
    max: options.max ?? 10,
    connect_timeout: options.connectTimeout ?? 5,
    onnotice: () => {},
  });
  return {
    sql,
    db: drizzle(sql, { schema }),
    close: () => sql.end({ timeout: 5 }),
  };
}

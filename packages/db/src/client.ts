import type { Socket } from 'node:net';
import { answersWithin } from '@webhook-inbox/time-limit';
import {
  drizzle,
  type NodePgDatabase,
  NodePgSession,
  NodePgTransaction,
} from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.ts';

/**
 * The one handle on the database: drizzle's query builder, plus the pool behind it and a raw
 * statement helper for the few hot or hand-written statements.
 */
export type Database = NodePgDatabase<typeof schema> & {
  /** node-postgres, for sessions of their own (locks, a group's transaction) and probes. */
  readonly pool: pg.Pool;
  /** Rows of one parameterised statement (`$1`, `$2`, …). */
  rows<Row extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
};
/** What a handler gets: its writes commit with the event's `processed` mark, or not at all. */
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];

export interface DbOptions {
  max?: number;
  /** Milliseconds; short, so an unreachable Postgres becomes a 503 quickly rather than a hang. */
  connectTimeoutMs?: number;
  /**
   * Send a client's queries without waiting for each answer (node-postgres pipeline mode), so
   * statements issued together share one round trip; on by default. Not for cursors or streams.
   */
  pipeline?: boolean;
  /** Postgres ends any statement running longer than this (milliseconds). */
  statementTimeoutMs?: number;
  /** Postgres ends a session left idle inside a transaction longer than this (milliseconds). */
  idleInTransactionTimeoutMs?: number;
}

// node-postgres, not postgres.js: postgres.js 3.4.9 strands queries for ever when connections
// are reset mid-query and a reconnect fails (a Postgres restart behind a proxy), which the
// fault tests reproduce (porsager/postgres#1193, #1186); node-postgres fails them and recovers.
export function createDb(url: string, options: DbOptions = {}): Database {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    pipeline: options.pipeline ?? true,
    statement_timeout: options.statementTimeoutMs,
    idle_in_transaction_session_timeout: options.idleInTransactionTimeoutMs,
    // A connection closed while its backend is inside a statement (a lock wait, a slow query)
    // is noticed within a second and the statement stopped, instead of running on for nothing.
    options: '-c client_connection_check_interval=1000',
  });
  // A connection dying is reported as an 'error' event: on the pool for idle clients, on the
  // client itself while it is checked out (in a transaction). Unheard, either would crash the
  // process; the query in flight is rejected anyway and the pool drops the broken client.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  return Object.assign(drizzle(pool, { schema }), {
    pool,
    rows: async <Row extends pg.QueryResultRow>(text: string, values?: unknown[]) =>
      (await pool.query<Row>(text, values)).rows,
    close: () => pool.end(),
  });
}

/** Whether Postgres answers within `timeoutMs`; never throws. */
export function postgresAnswers(pool: pg.Pool, timeoutMs = 2_000): Promise<boolean> {
  return answersWithin(() => pool.query('select 1'), timeoutMs);
}

/** A transaction that a caller began on `client`, as drizzle's handlers expect it. */
export interface ClientTransaction {
  readonly tx: Transaction;
  /** From now on every query through `tx` fails, and none reaches the connection. */
  revoke(): void;
}

/**
 * Wraps a transaction already begun on `client` (drizzle's own `transaction()` would issue its
 * own BEGIN and COMMIT, a round trip each). Queries pass through a gate, so a handler that
 * outlives its attempt cannot write on a connection that has moved on.
 */
export function transactionOn(db: Database, client: pg.PoolClient): ClientTransaction {
  let open = true;
  const gate = {
    query(...args: Parameters<pg.PoolClient['query']>) {
      if (!open) return Promise.reject(new Error('this transaction is over: its attempt ended'));
      return Reflect.apply(client.query, client, args);
    },
  };
  type SessionParts = ConstructorParameters<typeof NodePgSession>;
  // The pool's session holds what drizzle built once from the schema: reuse, never rebuild.
  const { dialect, schema: relations } = db._.session as unknown as {
    dialect: SessionParts[1];
    schema: SessionParts[2];
  };
  const session = new NodePgSession(gate as unknown as pg.PoolClient, dialect, relations);
  return {
    tx: new NodePgTransaction(dialect, session, relations) as unknown as Transaction,
    revoke: () => {
      open = false;
    },
  };
}

/**
 * Closes a checked-out client's socket at once and drops it from the pool. `release(error)`
 * alone ends the client politely, which waits behind a statement still running; a closed
 * socket ends the session (rolling back its transaction, freeing its locks) right away, or
 * within `client_connection_check_interval` while the backend is busy in a statement.
 */
export function destroyClient(client: pg.PoolClient, reason: Error): void {
  socketOf(client)?.destroy();
  client.release(reason);
}

/** The socket a node-postgres client writes to (not in its typings), once it has connected. */
export function socketOf(client: pg.ClientBase): Socket | undefined {
  return (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
}

/**
 * Runs `send` with the client's socket corked, so that the statements it issues leave in one
 * write instead of one system call each (node-postgres writes every statement on its own).
 */
export function inOneWrite<T>(client: pg.ClientBase, send: () => T): T {
  const socket = socketOf(client);
  socket?.cork();
  try {
    return send();
  } finally {
    socket?.uncork();
  }
}

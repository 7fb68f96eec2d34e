import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Creates the database named in `url` when it does not exist yet. */
export async function ensureDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!name) throw new Error('DATABASE_URL names no database');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  await withClient(maintenance.toString(), async (client) => {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount) return;
    await client.query(`create database ${pg.escapeIdentifier(name)}`).catch((error: unknown) => {
      // Two migrators racing: the other one created it.
      if ((error as { code?: string }).code !== '42P04') throw error;
    });
  });
}

/** Drops the database named in `url`, closing its connections first. */
export async function dropDatabase(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  await withClient(maintenance.toString(), (client) =>
    client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`),
  );
}

/** Creates the database if needed and applies every committed migration. */
export async function migrateDatabase(url: string): Promise<void> {
  await ensureDatabase(url);
  await withClient(url, (client) => migrate(drizzle(client), { migrationsFolder }));
}

export interface MigrationStatus {
  /** Tags of the committed migrations, in order. */
  readonly committed: readonly string[];
  /** Tags of those not applied to the database yet. */
  readonly pending: readonly string[];
}

interface Journal {
  readonly entries: readonly { readonly tag: string; readonly when: number }[];
}

/**
 * Compares drizzle's journal with `drizzle.__drizzle_migrations`, as drizzle's migrator does:
 * a migration is applied when one was recorded with its timestamp or a later one.
 */
export async function migrationStatus(url: string): Promise<MigrationStatus> {
  const journalFile = join(migrationsFolder, 'meta', '_journal.json');
  const journal = JSON.parse(await readFile(journalFile, 'utf8')) as Journal;
  const lastApplied = await withClient(url, async (client) => {
    const table = await client.query<{ found: string | null }>(
      `select to_regclass('drizzle.__drizzle_migrations')::text as found`,
    );
    if (!table.rows[0]?.found) return 0;
    const last = await client.query<{ at: string | null }>(
      'select max(created_at)::text as at from drizzle.__drizzle_migrations',
    );
    return Number(last.rows[0]?.at ?? 0);
  });
  return {
    committed: journal.entries.map((entry) => entry.tag),
    pending: journal.entries.filter((entry) => entry.when > lastApplied).map((entry) => entry.tag),
  };
}

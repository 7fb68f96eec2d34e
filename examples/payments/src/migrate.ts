import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';

const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

/**
 * Where drizzle records which of the example's migrations ran (in the `drizzle` schema, beside
 * the product's `__drizzle_migrations`): a table of its own, as drizzle's migrator applies only
 * the migrations newer than the last one its table recorded.
 */
export const MIGRATIONS_TABLE = '__examples_payments_migrations';

/** Applies the example's migrations; the product's must have run first (`migrateDatabase`). */
export async function migratePayments(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(drizzle(client), { migrationsFolder, migrationsTable: MIGRATIONS_TABLE });
  } finally {
    await client.end();
  }
}

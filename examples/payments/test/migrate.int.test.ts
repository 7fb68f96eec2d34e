import { dropDatabase, migrateDatabase } from '@webhook-inbox/db';
import { testServices, uniqueName } from '@webhook-inbox/testing';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS_TABLE, migratePayments } from '../src/migrate.ts';

const databases: string[] = [];
afterEach(async () => {
  for (const url of databases.splice(0)) await dropDatabase(url);
});

function newDatabaseUrl(): string {
  const url = new URL(testServices.postgresUrl);
  url.pathname = `/${uniqueName('db')}`;
  databases.push(url.toString());
  return url.toString();
}

async function query<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

const accountsTable = (url: string) =>
  query<{ found: string | null }>(url, `select to_regclass('public.accounts')::text as found`);

describe("the example's migrations beside the product's", () => {
  it('a new database gets accounts from the example alone, recorded in its own table', async () => {
    const url = newDatabaseUrl();
    await migrateDatabase(url);
    expect(await accountsTable(url)).toEqual([{ found: null }]);

    await migratePayments(url);
    await migratePayments(url);
    expect(await accountsTable(url)).toEqual([{ found: 'accounts' }]);
    const recorded = await query(url, `select hash from drizzle.${MIGRATIONS_TABLE}`);
    expect(recorded).toHaveLength(1);
  });

  it('a database whose accounts came from the product keeps the table and its rows', async () => {
    const url = newDatabaseUrl();
    await migrateDatabase(url);
    // As the product's first migration used to create it.
    await query(
      url,
      `create table accounts (id text primary key not null, balance bigint default 0 not null,
         is_member boolean default false not null);
       insert into accounts values ('cus_old', 4900, true)`,
    );
    await migratePayments(url);
    expect(await query(url, 'select id, balance::int, is_member from accounts')).toEqual([
      { id: 'cus_old', balance: 4900, is_member: true },
    ]);
  });
});

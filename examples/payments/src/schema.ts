import { bigint, boolean, pgTable, text } from 'drizzle-orm/pg-core';

/** The example handlers' table: payments credit an account's balance, upgrades make it a member. */
export const accounts = pgTable('accounts', {
  id: text().primaryKey(),
  balance: bigint({ mode: 'number' }).notNull().default(0),
  isMember: boolean('is_member').notNull().default(false),
});

import { bigint, boolean, pgTable, text } from 'drizzle-orm/pg-core';

/** The example app's table (seeds 000 and 003): what its handlers credit and upgrade. */
export const accounts = pgTable('accounts', {
  id: text().primaryKey(),
  balance: bigint({ mode: 'number' }).notNull().default(0),
  isMember: boolean('is_member').notNull().default(false),
});

-- A database migrated before the example had migrations of its own got this table from the
-- product's first migration: then this one leaves it as it is.
CREATE TABLE IF NOT EXISTS "accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"is_member" boolean DEFAULT false NOT NULL
);

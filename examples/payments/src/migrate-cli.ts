import { configOrExit } from '@webhook-inbox/config';
import { describeMigrationFailure, migrateDatabase, readMigrateEnv } from '@webhook-inbox/db';
import { migratePayments } from './migrate.ts';

// A program's migrate step: the product's tables first (its handlers write beside them), then
// its own, each set with its own record of what ran.
const { DATABASE_URL } = configOrExit('migrate', () => readMigrateEnv());
try {
  await migrateDatabase(DATABASE_URL);
  await migratePayments(DATABASE_URL);
  console.log('migrations applied');
} catch (error) {
  console.error(describeMigrationFailure(error, DATABASE_URL));
  process.exit(1);
}

import { configOrExit } from '@webhook-inbox/config';
import { readMigrateEnv } from './env.ts';
import { migrateDatabase } from './migrate.ts';
import { describeMigrationFailure } from './migrate-failure.ts';

const { DATABASE_URL } = configOrExit('migrate', () => readMigrateEnv());
try {
  await migrateDatabase(DATABASE_URL);
  console.log('migrations applied');
} catch (error) {
  console.error(describeMigrationFailure(error, DATABASE_URL));
  process.exit(1);
}

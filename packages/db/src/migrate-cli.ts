import { configOrExit } from '@webhook-inbox/config';
import { readMigrateEnv } from './env.ts';
import { migrateDatabase } from './migrate.ts';

const { DATABASE_URL } = configOrExit('migrate', () => readMigrateEnv());
try {
  await migrateDatabase(DATABASE_URL);
  console.log('migrations applied');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}

import { commonEnv, configOrExit, parseEnv } from '@webhook-inbox/config';
import { migrateDatabase } from './migrate.ts';

const { DATABASE_URL } = configOrExit('migrate', () =>
  parseEnv({ DATABASE_URL: commonEnv.DATABASE_URL }, process.env),
);
try {
  await migrateDatabase(DATABASE_URL);
  console.log('migrations applied');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exit(1);
}

export {
  type ClientTransaction,
  createDb,
  type Database,
  type DbOptions,
  destroyClient,
  inOneWrite,
  postgresAnswers,
  socketOf,
  type Transaction,
  transactionOn,
} from './client.ts';
export { readMigrateEnv } from './env.ts';
export {
  dropDatabase,
  ensureDatabase,
  type MigrationStatus,
  migrateDatabase,
  migrationStatus,
} from './migrate.ts';
export { describeMigrationFailure } from './migrate-failure.ts';
export * from './schema/index.ts';

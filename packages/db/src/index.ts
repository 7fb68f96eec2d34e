export {
  createDb,
  type Database,
  type DbClient,
  type DbOptions,
  postgresAnswers,
  type Transaction,
} from './client.ts';
export {
  dropDatabase,
  ensureDatabase,
  type MigrationStatus,
  migrateDatabase,
  migrationStatus,
} from './migrate.ts';
export * from './schema/index.ts';

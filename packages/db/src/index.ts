export {
  createDb,
  type Database,
  type DbClient,
  type DbOptions,
  postgresAnswers,
  type Transaction,
} from './client.ts';
export { dropDatabase, ensureDatabase, migrateDatabase } from './migrate.ts';
export * from './schema/index.ts';

export {
  createDb,
  type Database,
  type DbClient,
  type DbOptions,
  type Transaction,
} from './client.ts';
export { ensureDatabase, migrateDatabase } from './migrate.ts';
export * from './schema/index.ts';

export { handlers } from './handlers/index.ts';
export { MIGRATIONS_TABLE, migratePayments } from './migrate.ts';
export { accounts } from './schema.ts';

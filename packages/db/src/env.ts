import { commonEnv, parseEnv } from '@webhook-inbox/config';

/** `npm run db:migrate` needs only the database. */
export function readMigrateEnv(env = process.env) {
  return parseEnv({ DATABASE_URL: commonEnv.DATABASE_URL }, env);
}

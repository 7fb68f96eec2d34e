import { defineConfig } from 'drizzle-kit';

// Migrations are generated here and committed; `npm run db:migrate` applies them.
export default defineConfig({
  dialect: 'postgresql',
  schema: './packages/db/src/schema/index.ts',
  out: './packages/db/migrations',
});

import { defineConfig } from 'drizzle-kit';

// The example's own schema and migrations, beside the product's and never mixed with them:
// `npm run db:generate` here writes its migrations, `npm run migrate` applies both sets.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './migrations',
  migrations: { table: '__examples_payments_migrations' },
});

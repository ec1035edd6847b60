import { defineConfig } from 'drizzle-kit';

// The PostgreSQL engine's migrations (issue 16): `npm run db:generate:pg` after changing src/db/pg/schema.ts.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/pg/schema.ts',
  out: './migrations/pg',
});

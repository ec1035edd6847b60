// `npm run test:pg`: the PostgreSQL engine against the real server on 127.0.0.1:5432 (issue 16).
// Not part of `npm test`, which passes on a machine without PostgreSQL; `.ci/run` runs both.
// - project `pg`: schema, CLI and copy-to; each file makes its own database and drops it.
// - project `api-pg`: the whole API suite again (tests/api), every app on a PostgreSQL database of
//   its own (tests/helpers/engine.ts), but for the files below, which are about SQLite itself.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** What only SQLite has: its file, its backups and its WAL, and release fixtures that are SQLite files. */
const SQLITE_ONLY: string[] = [];

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'pg', include: ['tests/pg/**/*.test.ts'], env: { TZ: 'America/New_York' } } },
      {
        extends: true,
        test: {
          name: 'api-pg',
          include: ['tests/api/**/*.test.ts'],
          exclude: SQLITE_ONLY,
          env: { TZ: 'Asia/Shanghai', ROTA_TEST_ENGINE: 'postgres' },
          globalSetup: ['tests/pg/setup.ts'],
          isolate: false,
        },
      },
    ],
  },
});

// `npm run test:pg`: the PostgreSQL engine against the real server on 127.0.0.1:5432 (issue 16).
// Not part of `npm test`, which passes on a machine without PostgreSQL; `.ci/run` runs both.
// Each file makes its own database (rota_test_<random>) and drops it afterwards.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'pg',
    include: ['tests/pg/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    env: { TZ: 'America/New_York' },
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

// Every test runs under two process time zones: results must not depend on the server's TZ.
const zones = ['UTC', 'America/New_York'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 30_000,
    projects: zones.map((TZ) => ({
      extends: true,
      test: { name: TZ, env: { TZ }, include: ['tests/unit/**/*.test.ts', 'tests/api/**/*.test.ts'] },
    })),
  },
});

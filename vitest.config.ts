import { defineConfig } from 'vitest/config';

// Every test runs under two process time zones: results must not depend on the server's TZ.
const zones = ['UTC', 'America/New_York'];

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest's default is one worker less than the cores: a single worker on these 2-core machines,
    // which then sits idle while a test waits on its server, its browser or an fsync.
    maxWorkers: 2,
    testTimeout: 30_000,
    projects: [
      ...zones.map((TZ) => ({
        extends: true as const,
        // One module graph per worker, reused across files: importing the app anew for each file
        // was a third of the suite's time. Every file opens its own database and app, and no test
        // mocks a module or the clock, so nothing leaks between files.
        test: { name: TZ, env: { TZ }, include: ['tests/unit/**/*.test.ts', 'tests/api/**/*.test.ts'], isolate: false },
      })),
      // Real Chromium, once: the tests put the browser in another zone than the rotas', which is
      // what proves the page shows times in the rota's zone.
      { extends: true, test: { name: 'e2e', env: { TZ: 'UTC' }, include: ['tests/e2e/**/*.test.ts'], testTimeout: 90_000, hookTimeout: 60_000, fileParallelism: false } },
    ],
  },
});

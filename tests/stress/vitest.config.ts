// `npm run test:stress`: the reliability suite (races on real server processes, kill -9 and
// restart, fuzzing, backups under load). Longer than the unit and API tests, so it has a command
// of its own, which CI runs after `npm test`. Each test bounds its own request loops.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('../..', import.meta.url)),
  test: {
    name: 'stress',
    include: ['tests/stress/**/*.test.ts'],
    pool: 'forks',
    // One file at a time: the races and crashes measure this machine's two cores, not each other.
    fileParallelism: false,
    env: { TZ: 'America/New_York' },
    testTimeout: 180_000,
    hookTimeout: 60_000,
  },
});

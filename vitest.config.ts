import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['apps/**/*.test.ts', 'packages/**/*.test.ts', 'apps/**/*.test.tsx', 'examples/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // 2 cores: more workers only add PGlite start-up contention.
    maxWorkers: 2,
    globalSetup: ['apps/server/src/test/global-setup.ts'],
  },
});

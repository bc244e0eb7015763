import { defineConfig } from 'vitest/config';

// Handler tests run against a real DynamoDB Local that the global setup starts once per run.
export default defineConfig({
  test: {
    name: 'handlers',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    setupFiles: ['test/setup/environment.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});

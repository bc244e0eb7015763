import { defineConfig } from 'vitest/config';

// Generator tests compile real fixture specs, load the emitted validators and run tsc over emitted types.
export default defineConfig({
  test: {
    name: 'tools',
    include: ['**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**'],
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});

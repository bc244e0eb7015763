import { defineConfig } from 'vitest/config';

// Infra tests share one synthesized app per stage (bundling 15 functions takes most of the time), so all
// test files run in one worker without isolation and reuse the cached synth from test/support/synth.ts.
export default defineConfig({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});

import { defineConfig } from 'vitest/config';

// Infra tests share one synthesized app per stage (bundling 15 functions takes most of the time), so all
// test files run in one worker without isolation and reuse the cached synth from test/support/synth.ts.
export default defineConfig({
  test: {
    name: 'infra',
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    maxWorkers: 1,
    isolate: false,
    fileParallelism: false,
    // The first test that needs a stage pays for its synth (about 40 s of CPU); on a shared, busy machine
    // that took over 4 minutes of wall-clock time.
    testTimeout: 600_000,
    hookTimeout: 600_000,
  },
});

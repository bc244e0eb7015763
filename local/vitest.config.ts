import { defineConfig } from 'vitest/config';

// The local runtime's tests start real child processes (DynamoDB Local, Lambda runners), so files run
// one after another and each test gets a generous timeout.
export default defineConfig({
  test: {
    name: 'local',
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});

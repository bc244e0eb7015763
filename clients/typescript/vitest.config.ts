import { defineConfig } from 'vitest/config';

// SDK tests run against real HTTP and WebSocket servers that each test starts on a free loopback port.
export default defineConfig({
  test: {
    name: 'client',
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

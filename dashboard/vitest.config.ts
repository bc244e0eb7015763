import { defineConfig } from 'vitest/config';
import { sdkAlias } from './sdk-alias.js';

// The browser test boots the whole local platform and drives Chromium, so files run one after another
// with generous timeouts.
export default defineConfig({
  resolve: { alias: sdkAlias },
  test: {
    name: 'dashboard',
    include: ['test/**/*.test.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});

import { defineConfig } from 'vitest/config';

// Every workspace keeps its own vitest.config.ts; the root runs them all as projects.
export default defineConfig({
  test: {
    projects: ['tools', 'handlers', 'infra', 'local', 'clients/typescript', 'dashboard'].map(
      (dir) => `${dir}/vitest.config.ts`,
    ),
  },
});

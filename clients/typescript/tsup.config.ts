import { defineConfig } from 'tsup';

// ESM and CommonJS builds with bundled declarations (.d.ts and .d.cts). The generated contract types and
// route table live outside this package, so they are bundled in; openapi-fetch stays a dependency.
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    'ws/index': 'src/ws/index.ts',
    'outbox/index': 'src/outbox/index.ts',
    'outbox/node': 'src/outbox/node.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: true,
  treeshake: true,
  sourcemap: true,
  clean: true,
  target: 'es2022',
  platform: 'neutral',
  external: ['node:fs/promises', 'node:path'],
  outDir: 'dist',
});

// Size budget: each entry bundled with its dependencies, minified by esbuild and gzipped at level 9.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const KIB = 1024;
// Budgets in bytes; 15 KB for the core is read as 15,000 bytes, the stricter of KB and KiB.

async function minifiedGzipBytes(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [new URL(entry, import.meta.url).pathname],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error(`esbuild produced no output for ${entry}.`);
  return gzipSync(output.contents, { level: 9 }).length;
}

describe('bundle size', () => {
  it.each([
    ['core', '../src/index.ts', 15_000],
    ['ws', '../src/ws/index.ts', 5_000],
    ['outbox', '../src/outbox/index.ts', 8_000],
  ])('%s stays within its budget', async (name, entry, budget) => {
    const bytes = await minifiedGzipBytes(entry);
    console.info(`${name}: ${(bytes / KIB).toFixed(2)} KiB min+gzip (budget ${budget} bytes)`);
    expect(bytes).toBeLessThanOrEqual(budget);
  });
});

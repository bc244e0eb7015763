// The published package: publint and attw, the tarball's contents, installation into a new project outside
// the repository, a type-checked consumer script, and that script run against the contract mock.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  bin,
  environment,
  type PackedConsumer,
  packageDir,
  preparePackedConsumer,
  repositoryRoot,
  run,
} from './support/packed-consumer.js';

const mockStartPath = join(repositoryRoot, 'tools/mock/start.ts');

describe('packed SDK', () => {
  let packed: PackedConsumer;

  beforeAll(async () => {
    packed = await preparePackedConsumer();
  }, 240_000);

  afterAll(async () => {
    await packed?.remove();
  });

  it('passes publint and attw', async () => {
    const publint = await run(bin('publint'), ['--strict', packageDir], { env: environment });
    expect(publint.stdout).toContain('All good!');
    // attw exits non-zero when it finds a problem, which rejects the promise with its report.
    const attw = await run(bin('attw'), [packed.tarball], { env: environment });
    expect(attw.stdout).toContain('No problems found');
  }, 120_000);

  it('ships only dist and docs', async () => {
    const { stdout } = await run('tar', ['-tzf', packed.tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.cts');
    expect(files).toContain('package/README.md');
    const unexpected = files.filter(
      (file) => !/^package\/(dist\/|README\.md$|package\.json$|CHANGELOG\.md$)/.test(file),
    );
    expect(unexpected).toEqual([]);
  });

  it('installs with its dependencies', async () => {
    const manifestPath = join(packed.consumerDir, 'node_modules/@katapp/client/package.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch', 'openapi-typescript-helpers']);
    expect(existsSync(join(packed.consumerDir, 'node_modules/openapi-fetch/package.json'))).toBe(true);
  });

  it('type-checks a consumer script', async () => {
    const result = await run(bin('tsc'), ['-p', packed.consumerDir], { env: environment }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(result.stdout).toBe('');
  }, 120_000);

  it('loads every entry with require', async () => {
    const { stdout } = await run(process.execPath, ['require.cjs'], { cwd: packed.consumerDir });
    expect(JSON.parse(stdout)).toEqual(['function', 'function', 'function', 'function']);
  });

  it.skipIf(!existsSync(mockStartPath))(
    'runs the consumer against the contract mock',
    async () => {
      const { startMock } = (await import(mockStartPath)) as {
        startMock: (options: { port: number }) => Promise<{ url: string; stop: () => Promise<void> }>;
      };
      const mock = await startMock({ port: 0 });
      try {
        // The mock answers with the contract's examples, so any well-formed credentials and ids work.
        const report = await packed.runConsumer(
          mock.url,
          'anna.schmidt@klinikum-nord.example',
          'correct-horse-battery-staple',
          '5d0c1bb4-8f4e-4c59-9d7b-2f0a9a3c6e11',
        );
        expect(report.health).toMatchObject({ status: expect.any(String) });
        expect(report.principal).toBe('user');
        expect(report.signedIn).toBe(true);
        expect(report.triageCategory).toEqual(expect.any(String));
        expect(report.invalidId).toBe(400);
        expect(report.exports).toEqual(['function', 'function', 'function', 'function', 'function']);
      } finally {
        await mock.stop();
      }
    },
    120_000,
  );
});

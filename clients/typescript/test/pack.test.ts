// The published package: build, publint and attw, `npm pack`, install into a new project outside the
// repository, type-check a consumer script, then run it against the contract mock.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repositoryRoot = resolve(packageDir, '../..');
const bin = (name: string) => join(repositoryRoot, 'node_modules/.bin', name);
const mockStartPath = join(repositoryRoot, 'tools/mock/start.ts');

// npm and the build tools inherit this environment; nothing reports usage or checks for updates.
const environment = {
  ...process.env,
  PATH: `${join(repositoryRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
};

const consumerScript = `
import { createKatAppClient, KatAppProblemError, type TokenSet } from '@katapp/client';
import { KatAppSocket } from '@katapp/client/ws';
import { clientTransport, MemoryOutboxStorage, Outbox } from '@katapp/client/outbox';
import { JsonFileOutboxStorage } from '@katapp/client/outbox/node';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:1';
const katapp = createKatAppClient({ baseUrl });
const report: Record<string, unknown> = {};

const { data: health } = await katapp.GET('/health');
report.health = health;

const tokens = await katapp.login('anna.schmidt@klinikum-nord.example', 'correct-horse-battery-staple');
report.principal = tokens.principal.kind;
const stored: TokenSet | undefined = await katapp.auth.tokens();
report.signedIn = stored?.accessToken === tokens.accessToken;

const triageId = '5d0c1bb4-8f4e-4c59-9d7b-2f0a9a3c6e11';
const { data: triage } = await katapp.GET('/triages/{triageId}', { params: { path: { triageId } } });
report.triageCategory = triage.category;

try {
  await katapp.GET('/triages/{triageId}', { params: { path: { triageId: 'not-a-uuid' } } });
  report.invalidId = 'accepted';
} catch (error) {
  report.invalidId = error instanceof KatAppProblemError ? error.status : String(error);
}

report.exports = [typeof KatAppSocket, typeof Outbox, typeof clientTransport, typeof MemoryOutboxStorage, typeof JsonFileOutboxStorage];
console.log(JSON.stringify(report));
`;

const requireScript = `
const client = require('@katapp/client');
const ws = require('@katapp/client/ws');
const outbox = require('@katapp/client/outbox');
const node = require('@katapp/client/outbox/node');
console.log(JSON.stringify([typeof client.createKatAppClient, typeof ws.KatAppSocket, typeof outbox.Outbox, typeof node.JsonFileOutboxStorage]));
`;

const consumerTsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2022', 'DOM', 'DOM.Iterable'],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: false,
    types: [],
  },
  files: ['consumer.ts', 'node-globals.d.ts'],
};

// The consumer has no @types/node; these two globals are all the script uses from Node.
const nodeGlobals = 'declare const process: { argv: string[] };\n';

describe('packed SDK', () => {
  let workDir: string;
  let consumerDir: string;
  let tarball: string;

  beforeAll(async () => {
    await run(bin('tsup'), [], { cwd: packageDir, env: environment });
    workDir = await mkdtemp(join(tmpdir(), 'katapp-sdk-pack-'));
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', workDir], {
      cwd: packageDir,
      env: environment,
    });
    const [packed] = JSON.parse(stdout) as [{ filename: string }];
    tarball = join(workDir, packed.filename);

    consumerDir = join(workDir, 'consumer');
    await mkdir(consumerDir);
    await writeFile(
      join(consumerDir, 'package.json'),
      JSON.stringify({ name: 'katapp-consumer', private: true, type: 'module' }),
    );
    await writeFile(join(consumerDir, 'consumer.ts'), consumerScript);
    await writeFile(join(consumerDir, 'require.cjs'), requireScript);
    await writeFile(join(consumerDir, 'node-globals.d.ts'), nodeGlobals);
    await writeFile(join(consumerDir, 'tsconfig.json'), JSON.stringify(consumerTsconfig));
    // openapi-fetch comes from the npm cache that the workspace install filled.
    await run(
      'npm',
      ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'],
      {
        cwd: consumerDir,
        env: environment,
      },
    );
  }, 240_000);

  afterAll(async () => {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('passes publint and attw', async () => {
    const publint = await run(bin('publint'), ['--strict', packageDir], { env: environment });
    expect(publint.stdout).toContain('All good!');
    // attw exits non-zero when it finds a problem, which rejects the promise with its report.
    const attw = await run(bin('attw'), [tarball], { env: environment });
    expect(attw.stdout).toContain('No problems found');
  }, 120_000);

  it('ships only dist and docs', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');
    expect(files).toContain('package/dist/index.js');
    expect(files).toContain('package/dist/index.d.cts');
    expect(files).toContain('package/README.md');
    expect(
      files.filter((file) => !/^package\/(dist\/|README\.md$|package\.json$|CHANGELOG\.md$)/.test(file)),
    ).toEqual([]);
  });

  it('installs with its dependencies', async () => {
    const manifest = JSON.parse(
      await readFile(join(consumerDir, 'node_modules/@katapp/client/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(manifest.dependencies)).toEqual(['openapi-fetch', 'openapi-typescript-helpers']);
    expect(existsSync(join(consumerDir, 'node_modules/openapi-fetch/package.json'))).toBe(true);
  });

  it('type-checks a consumer script', async () => {
    const result = await run(bin('tsc'), ['-p', consumerDir], { env: environment }).catch(
      (error: { stdout?: string }) => ({ stdout: error.stdout ?? String(error) }),
    );
    expect(result.stdout).toBe('');
  }, 120_000);

  it('loads every entry with require', async () => {
    const { stdout } = await run(process.execPath, ['require.cjs'], { cwd: consumerDir });
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
        const { stdout } = await run(process.execPath, ['consumer.ts', mock.url], { cwd: consumerDir });
        const report = JSON.parse(stdout) as Record<string, unknown>;
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

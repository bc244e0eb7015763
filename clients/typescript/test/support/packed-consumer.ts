// Builds and packs the SDK, then installs the tarball into a new consumer project outside the repository.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const run = promisify(execFile);
export const packageDir = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const repositoryRoot = resolve(packageDir, '../..');
export const bin = (name: string) => join(repositoryRoot, 'node_modules/.bin', name);

// npm and the build tools inherit this environment; nothing reports usage or checks for updates.
export const environment = {
  ...process.env,
  PATH: `${join(repositoryRoot, 'node_modules/.bin')}:${process.env.PATH ?? ''}`,
  NPM_CONFIG_UPDATE_NOTIFIER: 'false',
  NPM_CONFIG_FUND: 'false',
  NPM_CONFIG_AUDIT: 'false',
};

/**
 * The consumer script: `node consumer.ts BASE_URL EMAIL PASSWORD TRIAGE_ID` prints one JSON report.
 * Node 24 runs it directly by stripping the types.
 */
const consumerScript = `
import { createKatAppClient, KatAppProblemError, type TokenSet } from '@katapp/client';
import { KatAppSocket } from '@katapp/client/ws';
import { clientTransport, MemoryOutboxStorage, Outbox } from '@katapp/client/outbox';
import { JsonFileOutboxStorage } from '@katapp/client/outbox/node';

const [baseUrl = 'http://127.0.0.1:1', email = '', password = '', triageId = ''] = process.argv.slice(2);
const katapp = createKatAppClient({ baseUrl });
const report: Record<string, unknown> = {};

const { data: health } = await katapp.GET('/health');
report.health = health;

const tokens = await katapp.login(email, password);
report.principal = tokens.principal.kind;
const stored: TokenSet | undefined = await katapp.auth.tokens();
report.signedIn = stored?.accessToken === tokens.accessToken;

const { data: triage } = await katapp.GET('/triages/{triageId}', { params: { path: { triageId } } });
report.triageId = triage.id;
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
    skipLibCheck: false,
    types: [],
  },
  files: ['consumer.ts', 'node-globals.d.ts'],
};

// The consumer has no @types/node; `process.argv` is all the script uses from Node.
const nodeGlobals = 'declare const process: { argv: string[] };\n';

export interface PackedConsumer {
  /** The tarball `npm pack` wrote. */
  tarball: string;
  /** The consumer project with the tarball installed. */
  consumerDir: string;
  /** Runs the consumer script and returns its JSON report. */
  runConsumer(
    baseUrl: string,
    email: string,
    password: string,
    triageId: string,
  ): Promise<Record<string, unknown>>;
  remove(): Promise<void>;
}

/** Builds dist/ with tsup, packs it and installs the tarball into a project in the system temp folder. */
export async function preparePackedConsumer(): Promise<PackedConsumer> {
  const workDir = await mkdtemp(join(tmpdir(), 'katapp-sdk-pack-'));
  // tsup empties dist/ before it writes, so two test files packing at once would pack a half-built
  // folder; flock runs one build-and-pack at a time.
  const { stdout } = await run(
    'flock',
    [
      join(tmpdir(), 'katapp-sdk-pack.lock'),
      'sh',
      '-c',
      `"$0" >&2 && npm pack --json --pack-destination "$1"`,
      bin('tsup'),
      workDir,
    ],
    { cwd: packageDir, env: environment },
  );
  const [packed] = JSON.parse(stdout) as [{ filename: string }];
  const tarball = join(workDir, packed.filename);

  const consumerDir = join(workDir, 'consumer');
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
  await run('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
    cwd: consumerDir,
    env: environment,
  });

  return {
    tarball,
    consumerDir,
    async runConsumer(baseUrl, email, password, triageId) {
      const { stdout: output } = await run(
        process.execPath,
        ['consumer.ts', baseUrl, email, password, triageId],
        {
          cwd: consumerDir,
        },
      );
      return JSON.parse(output) as Record<string, unknown>;
    },
    remove: () => rm(workDir, { recursive: true, force: true }),
  };
}

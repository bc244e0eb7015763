// `make generate`: reads api/openapi.yaml and asyncapi/asyncapi.yaml and writes generated/. It also regenerates
// the fixture outputs that the type tests in tools/generator/test/types compile against.
// A target whose inputs, generator sources and outputs are unchanged only compares its stamp.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeStamp, readStamp, STAMP_FILE, writeStamp } from './inputs/stamp.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const fixtures = join(repositoryRoot, 'tools/generator/test/fixtures');
const typeTestOutputs = join(repositoryRoot, 'tools/generator/test/types/generated');

interface Target {
  openapiPath: string;
  asyncapiPath: string | undefined;
  outDirectory: string;
}

/** Fixture specs whose outputs the type tests import. */
const TYPE_TEST_FIXTURES: Target[] = [
  'discriminator-types',
  'read-write',
  'enum-index',
  'parameter-styles',
  'nullable',
].map((name) => ({
  openapiPath: join(fixtures, `${name}.yaml`),
  asyncapiPath: undefined,
  outDirectory: join(typeTestOutputs, name),
}));
TYPE_TEST_FIXTURES.push({
  openapiPath: join(fixtures, 'websocket/openapi.yaml'),
  asyncapiPath: join(fixtures, 'websocket/asyncapi.yaml'),
  outDirectory: join(typeTestOutputs, 'websocket'),
});

const { values } = parseArgs({
  options: {
    openapi: { type: 'string' },
    asyncapi: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx tools/generator/src/cli.ts [options]
  --openapi FILE   OpenAPI document (default api/openapi.yaml)
  --asyncapi FILE  AsyncAPI document (default asyncapi/asyncapi.yaml; skipped when the file is missing)
  --out DIR        output folder (default generated/); with any of these three options only that target runs,
                   without them the type-test fixtures are regenerated too
  --force          regenerate even when the stamp says nothing changed
  --check          regenerate in memory and exit 1 if any output differs from the files on disk (writes nothing)`);
  process.exit(0);
}

const started = performance.now();
const elapsed = () => `${Math.round(performance.now() - started)} ms`;
const display = (path: string) => relative(process.cwd(), path) || '.';

const explicit = values.openapi !== undefined || values.asyncapi !== undefined || values.out !== undefined;
const defaultAsyncApi = join(repositoryRoot, 'asyncapi/asyncapi.yaml');
const asyncapiPath = values.asyncapi ?? defaultAsyncApi;
const targets: Target[] = [
  {
    openapiPath: resolve(values.openapi ?? join(repositoryRoot, 'api/openapi.yaml')),
    asyncapiPath: existsSync(asyncapiPath) ? resolve(asyncapiPath) : undefined,
    outDirectory: resolve(values.out ?? join(repositoryRoot, 'generated')),
  },
  ...(explicit ? [] : TYPE_TEST_FIXTURES),
];

async function writeTarget(target: Target, files: Map<string, string>): Promise<void> {
  const { outDirectory } = target;
  // Files from an earlier run that this run no longer writes are removed, but only in a folder that contains a
  // stamp, so a mistyped --out never deletes anything else.
  if (existsSync(join(outDirectory, STAMP_FILE))) {
    const entries = await readdir(outDirectory, { withFileTypes: true, recursive: true });
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const path = relative(outDirectory, join(entry.parentPath, entry.name));
      if (path !== STAMP_FILE && !files.has(path)) await rm(join(outDirectory, path));
    }
  }
  for (const [path, content] of files) {
    const file = join(outDirectory, path);
    await mkdir(dirname(file), { recursive: true });
    const current = existsSync(file) ? await readFile(file, 'utf8') : undefined;
    if (current !== content) await writeFile(file, content);
  }
  await writeStamp(outDirectory, await computeStamp({ ...target, repositoryRoot }));
}

const stale: Target[] = [];
for (const target of targets) {
  if (values.force || values.check) stale.push(target);
  else if ((await readStamp(target.outDirectory)) !== (await computeStamp({ ...target, repositoryRoot }))) {
    stale.push(target);
  }
}
if (stale.length === 0) {
  const names = targets.length === 1 ? display(targets[0]?.outDirectory ?? '') : `${targets.length} targets`;
  console.log(`generate: ${names} up to date (${elapsed()})`);
  process.exit(0);
}

// Imported only when needed: loading the generator libraries is most of a no-op run's time.
const { generate } = await import('./generate.js');
const differing: string[] = [];
for (const target of stale) {
  const result = await generate({
    openapiPath: target.openapiPath,
    ...(target.asyncapiPath ? { asyncapiPath: target.asyncapiPath } : {}),
  });
  if (values.check) {
    for (const [path, content] of result.files) {
      const file = join(target.outDirectory, path);
      const current = existsSync(file) ? await readFile(file, 'utf8') : undefined;
      if (current !== content) differing.push(display(file));
    }
    continue;
  }
  await writeTarget(target, result.files);
  console.log(`generate: wrote ${result.files.size} files to ${display(target.outDirectory)}`);
}
if (values.check) {
  if (differing.length > 0) {
    console.error(
      `generate --check: ${differing.length} file(s) differ from a fresh run: ${differing.join(', ')}. Run \`make generate\`.`,
    );
    process.exit(1);
  }
  console.log(`generate --check: every output matches a fresh run (${elapsed()})`);
  process.exit(0);
}
console.log(`generate: done (${elapsed()})`);

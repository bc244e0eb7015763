// `make generate`: reads api/openapi.yaml and asyncapi/asyncapi.yaml and writes generated/.
// A rerun with unchanged inputs, generator sources and outputs only compares a stamp and exits.

import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { computeStamp, readStamp, STAMP_FILE, writeStamp } from './inputs/stamp.js';

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

const { values } = parseArgs({
  options: {
    openapi: { type: 'string', default: join(repositoryRoot, 'api/openapi.yaml') },
    asyncapi: { type: 'string', default: join(repositoryRoot, 'asyncapi/asyncapi.yaml') },
    out: { type: 'string', default: join(repositoryRoot, 'generated') },
    force: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx tools/generator/src/cli.ts [options]
  --openapi FILE   OpenAPI document (default api/openapi.yaml)
  --asyncapi FILE  AsyncAPI document (default asyncapi/asyncapi.yaml; skipped when missing)
  --out DIR        output folder (default generated/); files the generator no longer writes are deleted
  --force          regenerate even when the stamp says nothing changed
  --check          regenerate in memory and exit 1 if any file in --out differs (writes nothing)`);
  process.exit(0);
}

const started = performance.now();
const outDirectory = resolve(values.out);
const asyncapiPath = existsSync(values.asyncapi) ? values.asyncapi : undefined;
const stampInputs = { openapiPath: values.openapi, asyncapiPath, outDirectory, repositoryRoot };

if (!values.force && !values.check) {
  const stamp = await computeStamp(stampInputs);
  const previous = await readStamp(outDirectory);
  if (previous === stamp) {
    console.log(
      `generate: ${relative(process.cwd(), outDirectory) || '.'} is up to date (${Math.round(performance.now() - started)} ms)`,
    );
    process.exit(0);
  }
}

// Imported only when needed: loading the generator libraries is most of a no-op run's time.
const { generate } = await import('./generate.js');
const result = await generate({ openapiPath: values.openapi, ...(asyncapiPath ? { asyncapiPath } : {}) });

if (values.check) {
  const stale: string[] = [];
  for (const [path, content] of result.files) {
    const target = join(outDirectory, path);
    const current = existsSync(target) ? await readFile(target, 'utf8') : undefined;
    if (current !== content) stale.push(path);
  }
  if (stale.length > 0) {
    console.error(
      `generate --check: ${stale.length} file(s) differ from a fresh run: ${stale.join(', ')}. Run \`make generate\`.`,
    );
    process.exit(1);
  }
  console.log(
    `generate --check: ${result.files.size} files match (${Math.round(performance.now() - started)} ms)`,
  );
  process.exit(0);
}

// Files from an earlier run that this run no longer writes are removed, but only in a folder that holds a
// stamp, so a mistyped --out never deletes anything else.
if (existsSync(join(outDirectory, STAMP_FILE))) {
  const entries = await readdir(outDirectory, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const path = relative(outDirectory, join(entry.parentPath, entry.name));
    if (path !== STAMP_FILE && !result.files.has(path)) await rm(join(outDirectory, path));
  }
}
for (const [path, content] of result.files) {
  const target = join(outDirectory, path);
  await mkdir(dirname(target), { recursive: true });
  await writeFile(target, content);
}
await writeStamp(outDirectory, await computeStamp(stampInputs));
console.log(
  `generate: wrote ${result.files.size} files to ${relative(process.cwd(), outDirectory) || '.'} ` +
    `(${Math.round(performance.now() - started)} ms); stamp in ${STAMP_FILE}`,
);

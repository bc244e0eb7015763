// `make docs` (API part): builds site/dist/api from api/openapi.yaml and asyncapi/asyncapi.yaml.
// Output: index.html (landing page), redoc.html, asyncapi.html, swagger/, and the bundled openapi.json and
// asyncapi.json. Every page is self-contained: it loads nothing from outside the site folder.
// A rerun with unchanged inputs only compares a stamp and exits.

import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { renderLandingPage } from './landing.js';
import { asyncapiPath, openapiPath, siteOutputDirectory } from './paths.js';
import { buildReferencePage, bundleDocument } from './redocly.js';
import { computeStamp, readStamp, STAMP_FILE } from './stamp.js';
import { writeSwaggerView } from './swagger.js';

/** The local platform's REST endpoint (`make up`). */
const DEFAULT_API_URL = 'http://127.0.0.1:3000';

const { values } = parseArgs({
  options: {
    openapi: { type: 'string', default: openapiPath },
    asyncapi: { type: 'string', default: asyncapiPath },
    out: { type: 'string', default: siteOutputDirectory },
    force: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  console.log(`Usage: tsx tools/docs/src/build.ts [options]
  --openapi FILE   OpenAPI document (default api/openapi.yaml)
  --asyncapi FILE  AsyncAPI document (default asyncapi/asyncapi.yaml)
  --out DIR        output folder (default site/dist/api); replaced as a whole on every build
  --force          rebuild even when the stamp says nothing changed
Environment:
  KATAPP_API_URL  base URL that Swagger UI's "Try it out" calls (default ${DEFAULT_API_URL})`);
  process.exit(0);
}

function parseApiUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(
      `KATAPP_API_URL is not a valid URL: "${value}". Set an absolute http(s) URL such as ${DEFAULT_API_URL}.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`KATAPP_API_URL must use http or https, got "${value}".`);
  }
  // Swagger UI appends the operation path, so a trailing slash would produce "//health".
  return value.replace(/\/+$/, '');
}

interface DocumentInfo {
  title: string;
  version: string;
  summary: string;
  specVersion: string;
}

async function readDocumentInfo(bundlePath: string, specKey: 'openapi' | 'asyncapi'): Promise<DocumentInfo> {
  const document = JSON.parse(await readFile(bundlePath, 'utf8')) as Record<string, unknown>;
  const info = (document.info ?? {}) as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value : '');
  return {
    title: text(info.title),
    version: text(info.version),
    summary: text(info.summary),
    specVersion: text(document[specKey]),
  };
}

const started = performance.now();
const elapsed = () => `${Math.round(performance.now() - started)} ms`;
const outputDirectory = resolve(values.out);
const apiUrl = parseApiUrl(process.env.KATAPP_API_URL ?? DEFAULT_API_URL);
const openapiSource = resolve(values.openapi);
const asyncapiSource = resolve(values.asyncapi);

for (const source of [openapiSource, asyncapiSource]) {
  if (!existsSync(source)) {
    throw new Error(
      `${relative(process.cwd(), source)} not found: the docs site is built from it. Pass another path with --openapi or --asyncapi.`,
    );
  }
}

const stamp = await computeStamp([dirname(openapiSource), dirname(asyncapiSource)], { apiUrl });
if (!values.force && (await readStamp(outputDirectory)) === stamp) {
  console.log(`docs: ${relative(process.cwd(), outputDirectory)} is up to date (${elapsed()})`);
  process.exit(0);
}

// Build next to the output and swap at the end, so a server never serves a half-built site.
const buildDirectory = `${outputDirectory}.building-${process.pid}`;
await rm(buildDirectory, { recursive: true, force: true });
await mkdir(buildDirectory, { recursive: true });

try {
  const openapiBundle = join(buildDirectory, 'openapi.json');
  const asyncapiBundle = join(buildDirectory, 'asyncapi.json');
  await Promise.all([
    bundleDocument(openapiSource, openapiBundle),
    bundleDocument(asyncapiSource, asyncapiBundle),
  ]);
  const [openapi, asyncapi] = await Promise.all([
    readDocumentInfo(openapiBundle, 'openapi'),
    readDocumentInfo(asyncapiBundle, 'asyncapi'),
  ]);

  await Promise.all([
    buildReferencePage(
      'openapi',
      openapiSource,
      join(buildDirectory, 'redoc.html'),
      `${openapi.title} – REST reference`,
    ),
    buildReferencePage(
      'asyncapi',
      asyncapiSource,
      join(buildDirectory, 'asyncapi.html'),
      `${asyncapi.title} – WebSocket reference`,
    ),
    writeSwaggerView(join(buildDirectory, 'swagger'), openapiBundle, apiUrl),
  ]);

  const landingPage = await renderLandingPage({
    apiTitle: openapi.title,
    apiVersion: openapi.version,
    apiSummary: openapi.summary,
    openapiVersion: openapi.specVersion,
    asyncapiTitle: asyncapi.title,
    asyncapiVersion: asyncapi.specVersion,
    tryItOutUrl: apiUrl,
  });
  await writeFile(join(buildDirectory, 'index.html'), landingPage);
  await writeFile(join(buildDirectory, STAMP_FILE), `${stamp}\n`);

  await rm(outputDirectory, { recursive: true, force: true });
  await rename(buildDirectory, outputDirectory);
} catch (error) {
  await rm(buildDirectory, { recursive: true, force: true });
  throw error;
}

console.log(
  `docs: built ${relative(process.cwd(), outputDirectory)} with "Try it out" at ${apiUrl} (${elapsed()})`,
);

// Probes that run in a fresh Node process each, so start-up and import costs are measured from a cold module cache.
// Each probe prints one JSON line on stdout.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');

/** The uploadTriage request bodies of the contract. */
export function uploadExamples(): Record<string, unknown>[] {
  const document = JSON.parse(readFileSync(join(REPO_ROOT, 'generated/openapi.json'), 'utf8'));
  const examples = document.paths['/triages/{triageId}'].put.requestBody.content['application/json'].examples;
  return Object.values(examples as Record<string, { value: Record<string, unknown> }>).map(
    (example) => example.value,
  );
}

/** A triage as the API returns it, built from the uploadTriage contract examples with the server-set fields added. */
export function triageExamples(): unknown[] {
  const document = JSON.parse(readFileSync(join(REPO_ROOT, 'generated/openapi.json'), 'utf8'));
  const examples = document.paths['/triages/{triageId}'].put.requestBody.content['application/json'].examples;
  return Object.values(examples as Record<string, { value: Record<string, unknown> }>).map(
    (example, index) => ({
      ...example.value,
      id: `5d0c1bb4-8f4e-4c59-9d7b-2f0a9a3c6e1${index}`,
      patientId: '7e1d2c3b-4a59-4b68-8c7d-6e5f4a3b2c1d',
      receivedAt: '2025-06-14T10:30:00Z',
      deviceId: '0b9a8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d',
      userId: null,
      status: 'final',
      confirmedBy: null,
      confirmedAt: null,
      supersededBy: null,
      flags: [],
    }),
  );
}

/**
 * Runs `script` (an ES module body) in a fresh `node` and parses the JSON line it prints. Bare specifiers in the
 * script resolve from `cwd` (default: the repository root).
 */
export function runProbe<T>(script: string, env: Record<string, string> = {}, cwd = REPO_ROOT): T {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    // openapi-backend warns about every unknown format on stderr; a failing probe still shows it in the error.
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = output.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

/**
 * Lists the external `@aws-sdk/*` packages an esbuild bundle imports (static `import ... from` and dynamic
 * `import()`), sorted. The Lambda runtime provides them, so every handler loads them whatever framework it uses.
 */
export function sdkImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const found = new Set<string>();
  for (const match of code.matchAll(/(?:from|import)\s*\(?\s*["'](@aws-sdk\/[^"']+)["']/g)) {
    if (match[1] !== undefined) found.add(match[1]);
  }
  return [...found].sort();
}

/** Milliseconds of one import: `preloadMs` for the preloaded SDK packages, `importMs` for the module itself. */
export interface ImportTiming {
  preloadMs: number;
  importMs: number;
}

/**
 * Times `await import(file)` in a fresh process after importing `preload` (bare specifiers, resolved from the
 * file's folder as the bundle's own imports are). With an empty `preload` this is the plain cold import.
 */
export function importProbe(
  file: string,
  env: Record<string, string> = {},
  preload: string[] = [],
): ImportTiming {
  const script = `
const preloadStarted = performance.now();
for (const specifier of ${JSON.stringify(preload)}) await import(specifier);
const preloadMs = performance.now() - preloadStarted;
const started = performance.now();
await import(${JSON.stringify(pathToFileURL(file).href)});
console.log(JSON.stringify({ preloadMs, importMs: performance.now() - started }));`;
  return runProbe<ImportTiming>(script, env, dirname(file));
}

/** A validation loop shared by the validator probes: validates the examples for `ms` milliseconds. */
const LOOP = (call: string, ms: number) => `
let count = 0; let valid = 0; const until = performance.now() + ${ms};
while (performance.now() < until) { for (const example of examples) { if (${call}) valid += 1; count += 1; } }
`;

export function standaloneValidatorProbe(examples: unknown[], ms: number, validator = 'schemas.Triage') {
  return runProbe<{ startupMs: number; perSecond: number; valid: number; count: number }>(`
const examples = ${JSON.stringify(examples)};
const started = performance.now();
const { schemas, operations } = await import('./generated/validators/index.js');
const validate = ${validator};
const startupMs = performance.now() - started;
const loopStart = performance.now();
${LOOP('validate(example)', ms)}
console.log(JSON.stringify({ startupMs, perSecond: count / ((performance.now() - loopStart) / 1000), valid, count }));
`);
}

export function runtimeAjvProbe(examples: unknown[], ms: number) {
  return runProbe<{ startupMs: number; perSecond: number; valid: number; count: number }>(`
const examples = ${JSON.stringify(examples)};
const started = performance.now();
const { default: Ajv2020 } = await import('ajv/dist/2020.js');
const { default: addFormats } = await import('ajv-formats');
const { readFileSync } = await import('node:fs');
const document = JSON.parse(readFileSync('generated/openapi.json', 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
ajv.addKeyword({ keyword: 'example' });
ajv.addSchema({ $id: 'katapp.json', components: document.components });
for (const name of Object.keys(document.components.schemas)) ajv.getSchema('katapp.json#/components/schemas/' + name);
const validate = ajv.getSchema('katapp.json#/components/schemas/Triage');
const startupMs = performance.now() - started;
const loopStart = performance.now();
${LOOP('validate(example)', ms)}
console.log(JSON.stringify({ startupMs, perSecond: count / ((performance.now() - loopStart) / 1000), valid, count }));
`);
}

/**
 * openapi-backend 5 validates the whole document against its OpenAPI 3.0 schema in init() and rejects our
 * 3.1 contract, so it runs in `quick` mode (no document check). It validates the uploadTriage request bodies.
 */
export function openapiBackendProbe(examples: unknown[], ms: number) {
  return runProbe<{ startupMs: number; perSecond: number; valid: number; count: number }>(`
const examples = ${JSON.stringify(examples)};
const started = performance.now();
const { default: OpenAPIBackend } = await import('openapi-backend');
const { readFileSync } = await import('node:fs');
const api = new OpenAPIBackend({ definition: JSON.parse(readFileSync('generated/openapi.json', 'utf8')), quick: true, validate: true });
await api.init();
const startupMs = performance.now() - started;
const request = (body) => ({ method: 'put', path: '/triages/5d0c1bb4-8f4e-4c59-9d7b-2f0a9a3c6e11', body, headers: { 'content-type': 'application/json' } });
const loopStart = performance.now();
${LOOP("api.validateRequest(request(example), 'uploadTriage').valid", ms)}
console.log(JSON.stringify({ startupMs, perSecond: count / ((performance.now() - loopStart) / 1000), valid, count }));
`);
}

/**
 * Times what a handler built on openapi-backend pays at a cold start: import, parse the contract, compile. `preload`
 * lists the `@aws-sdk/*` packages imported before the clock starts, the same ones our bundle is measured with.
 */
export function openapiBackendHandlerProbe(preload: string[] = []): ImportTiming {
  return runProbe<ImportTiming>(`
const preloadStarted = performance.now();
for (const specifier of ${JSON.stringify(preload)}) await import(specifier);
const preloadMs = performance.now() - preloadStarted;
const started = performance.now();
const { default: OpenAPIBackend } = await import('openapi-backend');
const { readFileSync } = await import('node:fs');
const api = new OpenAPIBackend({ definition: JSON.parse(readFileSync('generated/openapi.json', 'utf8')), quick: true, validate: true });
api.register({ notFound: () => ({ statusCode: 404 }) });
await api.init();
console.log(JSON.stringify({ preloadMs, importMs: performance.now() - started }));
`);
}

// Precompiled Ajv standalone validators bundled by esbuild into one self-contained ES module: Ajv's standalone
// output is CommonJS and `require`s its runtime helpers and our formats, so esbuild inlines all of them and the
// emitted index.js imports nothing at run time.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { build, type Plugin } from 'esbuild';
import { SchemaCompileError } from '../../util/errors.js';
import { tsHeader } from '../../util/header.js';
import { createAjv, FORMATS_MODULE } from './ajv-instance.js';
import type { CompiledSchema, ValidatorSet } from './schema-set.js';

const generatorSource = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repositoryRoot = resolve(generatorSource, '../../..');
const VIRTUAL_PREFIX = 'katapp-validators:';
// The module is CommonJS with `exports.default`; Node's ESM loader hands over module.exports, TypeScript types
// the namespace, so take whichever is the function.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as unknown as typeof standaloneModule.default;

function compileModule(kind: 'data' | 'parameters', set: ValidatorSet, exported: CompiledSchema[]): string {
  const ajv = createAjv(kind, set.extensionKeywords, { standalone: true });
  for (const schema of [...set.components, ...(kind === 'data' ? set.data : set.parameters)]) {
    ajv.addSchema(schema.schema, schema.id);
  }
  const refs: Record<string, string> = {};
  for (const schema of exported) refs[schema.exportName] = schema.id;
  try {
    return standaloneCode(ajv, refs);
  } catch (error) {
    throw new SchemaCompileError(`Compiling the ${kind} validators failed: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function objectLiteral(entries: [string, string][], indent: string): string {
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, value]) => `${indent}  ${JSON.stringify(key)}: ${value},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function entryModule(set: ValidatorSet): string {
  const operations = [...set.operations].map(([operationId, names]): [string, string] => {
    const parts: [string, string][] = [];
    for (const location of ['path', 'query', 'header'] as const) {
      const name = names[location];
      if (name !== undefined) parts.push([location, `parameters.${name}`]);
    }
    if (names.body !== undefined) parts.push(['body', `data.${names.body}`]);
    const responses = Object.entries(names.responses).map(([status, name]): [string, string] => [
      status,
      `data.${name}`,
    ]);
    parts.push(['responses', objectLiteral(responses, '    ')]);
    return [operationId, objectLiteral(parts, '  ')];
  });
  return [
    `import * as data from '${VIRTUAL_PREFIX}data';`,
    `import * as parameters from '${VIRTUAL_PREFIX}parameters';`,
    `export const operations = ${objectLiteral(operations, '')};`,
    `export const schemas = ${objectLiteral(
      [...set.schemas].map(([name, exportName]) => [name, `data.${exportName}`]),
      '',
    )};`,
    `export const messages = ${objectLiteral(
      [...set.messages].map(([name, exportName]) => [name, `data.${exportName}`]),
      '',
    )};`,
    '',
  ].join('\n');
}

/** Compiles the standalone code of both Ajv instances; exposed for tests that compare it with in-process Ajv. */
export function standaloneModules(set: ValidatorSet): { data: string; parameters: string } {
  return {
    data: compileModule('data', set, [...set.components, ...set.data]),
    parameters: compileModule('parameters', set, set.parameters),
  };
}

export async function bundleValidators(set: ValidatorSet): Promise<string> {
  const modules = standaloneModules(set);
  const virtualModules: Plugin = {
    name: 'katapp-validator-modules',
    setup(context) {
      context.onResolve({ filter: new RegExp(`^${VIRTUAL_PREFIX}`) }, (args) => ({
        path: args.path,
        namespace: 'katapp',
      }));
      context.onResolve({ filter: new RegExp(`^${FORMATS_MODULE}$`) }, () => ({
        path: join(generatorSource, 'runtime/formats.ts'),
      }));
      context.onLoad({ filter: /.*/, namespace: 'katapp' }, (args) => ({
        contents: args.path === `${VIRTUAL_PREFIX}data` ? modules.data : modules.parameters,
        loader: 'js',
        resolveDir: repositoryRoot,
      }));
    },
  };
  const result = await build({
    stdin: {
      contents: entryModule(set),
      resolveDir: repositoryRoot,
      sourcefile: 'validators.js',
      loader: 'js',
    },
    absWorkingDir: repositoryRoot,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    mainFields: ['main', 'module'],
    target: 'es2022',
    write: false,
    legalComments: 'none',
    minifyWhitespace: true,
    minifySyntax: true,
    charset: 'utf8',
    logLevel: 'silent',
    banner: { js: tsHeader().trimEnd() },
    plugins: [virtualModules],
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new SchemaCompileError('esbuild produced no validator bundle.');
  return output.text;
}

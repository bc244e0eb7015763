// Precompiled Ajv standalone validators bundled by esbuild into self-contained ES modules: Ajv's standalone
// output is CommonJS and `require`s its runtime helpers and our formats, so esbuild inlines all of them and the
// emitted modules import nothing at run time. Besides the full index.js, every Lambda function gets a module with
// only the request validators of its operations, and the websocket function one with the client messages, so a
// function bundle carries only the validators it calls.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Ajv2020 } from 'ajv/dist/2020.js';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { build, type Plugin } from 'esbuild';
import { withoutAnnotations } from '../../transforms/validation-annotations.js';
import { SchemaCompileError } from '../../util/errors.js';
import { tsHeader } from '../../util/header.js';
import { type AjvKind, createAjv, FORMATS_MODULE } from './ajv-instance.js';
import type { CompiledSchema, ValidatorSet } from './schema-set.js';

const generatorSource = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repositoryRoot = resolve(generatorSource, '../../..');
const VIRTUAL_PREFIX = 'katapp-validators:';
// The module is CommonJS with `exports.default`; Node's ESM loader hands over module.exports, TypeScript types
// the namespace, so take whichever is the function.
const standaloneCode = ((standaloneModule as unknown as { default?: unknown }).default ??
  standaloneModule) as unknown as typeof standaloneModule.default;

const REQUEST_PARTS = ['path', 'query', 'header', 'body'] as const;

/** The generated validator modules (ES module source text). */
export interface ValidatorBundles {
  /** generated/validators/index.js: every operation's request and response validators, schemas and messages. */
  index: string;
  /** Function name → module with only the request validators of that function's operations. */
  functions: Map<string, string>;
  /** Module with the validators of the messages WebSocket clients send. */
  clientMessages: string;
}

/**
 * One Ajv instance per kind with every schema added, shared by all modules: Ajv caches each compiled validator,
 * so a function module only generates the code of validators that the index already compiled.
 */
class StandaloneCompiler {
  private readonly instances = new Map<AjvKind, Ajv2020>();

  constructor(private readonly set: ValidatorSet) {}

  /** Returns CommonJS standalone code that exports the given validators and the validators they reference. */
  code(kind: AjvKind, exported: readonly CompiledSchema[]): string {
    const refs: Record<string, string> = {};
    for (const schema of exported) refs[schema.exportName] = schema.id;
    try {
      return standaloneCode(this.instance(kind), refs);
    } catch (error) {
      throw new SchemaCompileError(`Compiling the ${kind} validators failed: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  private instance(kind: AjvKind): Ajv2020 {
    let ajv = this.instances.get(kind);
    if (ajv === undefined) {
      ajv = createAjv(kind, this.set.extensionKeywords, { standalone: true });
      const own = kind === 'data' ? this.set.data : this.set.parameters;
      // The in-process Ajv of the tests compiles the schemas with their annotations, so a verdict or error that
      // depended on one would show up there as a difference.
      for (const schema of [...this.set.components, ...own]) {
        ajv.addSchema(withoutAnnotations(schema.schema), schema.id);
      }
      this.instances.set(kind, ajv);
    }
    return ajv;
  }
}

function objectLiteral(entries: [string, string][], indent: string): string {
  if (entries.length === 0) return '{}';
  const lines = entries.map(([key, value]) => `${indent}  ${JSON.stringify(key)}: ${value},`);
  return `{\n${lines.join('\n')}\n${indent}}`;
}

/** Returns the `parameters.x` / `data.x` expressions of an operation's request validators. */
function requestEntries(set: ValidatorSet, operationId: string): [string, string][] {
  const names = set.operations.get(operationId);
  if (names === undefined) throw new SchemaCompileError(`No validators were collected for ${operationId}.`);
  const parts: [string, string][] = [];
  for (const part of REQUEST_PARTS) {
    const name = names[part];
    if (name !== undefined) parts.push([part, `${part === 'body' ? 'data' : 'parameters'}.${name}`]);
  }
  return parts;
}

function indexEntryModule(set: ValidatorSet): string {
  const operations = [...set.operations].map(([operationId, names]): [string, string] => {
    const parts = requestEntries(set, operationId);
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

function functionEntryModule(set: ValidatorSet, operationIds: readonly string[]): string {
  const operations = operationIds.map((operationId): [string, string] => [
    operationId,
    objectLiteral(requestEntries(set, operationId), '  '),
  ]);
  return [
    `import * as data from '${VIRTUAL_PREFIX}data';`,
    `import * as parameters from '${VIRTUAL_PREFIX}parameters';`,
    `export const operations = ${objectLiteral(operations, '')};`,
    '',
  ].join('\n');
}

function clientMessagesEntryModule(set: ValidatorSet): string {
  return [
    `import * as data from '${VIRTUAL_PREFIX}data';`,
    `export const messages = ${objectLiteral(
      [...set.clientMessages].map(([name, exportName]) => [name, `data.${exportName}`]),
      '',
    )};`,
    '',
  ].join('\n');
}

/** Returns the compiled schemas behind the given export names, in the set's order. */
function selectSchemas(
  candidates: readonly CompiledSchema[],
  exportNames: ReadonlySet<string>,
): CompiledSchema[] {
  return candidates.filter((schema) => exportNames.has(schema.exportName));
}

/** Compiles the standalone modules behind one function's validator module. */
function functionModules(
  compiler: StandaloneCompiler,
  set: ValidatorSet,
  operationIds: readonly string[],
): { data: string; parameters: string } {
  const dataNames = new Set<string>();
  const parameterNames = new Set<string>();
  for (const operationId of operationIds) {
    const names = set.operations.get(operationId);
    if (names?.body !== undefined) dataNames.add(names.body);
    for (const location of ['path', 'query', 'header'] as const) {
      const name = names?.[location];
      if (name !== undefined) parameterNames.add(name);
    }
  }
  return {
    data: compiler.code('data', selectSchemas([...set.components, ...set.data], dataNames)),
    parameters: compiler.code('parameters', selectSchemas(set.parameters, parameterNames)),
  };
}

/** Compiles the standalone code of both Ajv instances; exposed for tests that compare it with in-process Ajv. */
export function standaloneModules(set: ValidatorSet): { data: string; parameters: string } {
  const compiler = new StandaloneCompiler(set);
  return {
    data: compiler.code('data', [...set.components, ...set.data]),
    parameters: compiler.code('parameters', set.parameters),
  };
}

/** Bundles an entry module and its virtual standalone modules into one self-contained ES module. */
async function bundleEntry(
  sourcefile: string,
  entry: string,
  modules: { data: string; parameters?: string },
): Promise<string> {
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
        contents: args.path === `${VIRTUAL_PREFIX}data` ? modules.data : (modules.parameters ?? ''),
        loader: 'js',
        resolveDir: repositoryRoot,
      }));
    },
  };
  const result = await build({
    stdin: { contents: entry, resolveDir: repositoryRoot, sourcefile, loader: 'js' },
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
  if (output === undefined) throw new SchemaCompileError(`esbuild produced no bundle for ${sourcefile}.`);
  return output.text;
}

export async function bundleValidators(set: ValidatorSet): Promise<ValidatorBundles> {
  const compiler = new StandaloneCompiler(set);
  // The index compiles every validator first, so the subsets below only reuse Ajv's cached validators.
  const indexModules = {
    data: compiler.code('data', [...set.components, ...set.data]),
    parameters: compiler.code('parameters', set.parameters),
  };
  const functionSources = [...set.functions].map(([name, operationIds]) => ({
    name,
    entry: functionEntryModule(set, operationIds),
    modules: functionModules(compiler, set, operationIds),
  }));
  const clientMessageNames = new Set(set.clientMessages.values());
  const clientMessageModules = {
    data: compiler.code('data', selectSchemas(set.components, clientMessageNames)),
  };

  const [index, clientMessages, functions] = await Promise.all([
    bundleEntry('validators.js', indexEntryModule(set), indexModules),
    bundleEntry('client-messages.js', clientMessagesEntryModule(set), clientMessageModules),
    Promise.all(
      functionSources.map(
        async (source): Promise<[string, string]> => [
          source.name,
          await bundleEntry(`${source.name}.js`, source.entry, source.modules),
        ],
      ),
    ),
  ]);
  return { index, functions: new Map(functions), clientMessages };
}

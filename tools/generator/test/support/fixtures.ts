// Runs the generator on fixture specs (memoized per spec) and loads what it emitted from a temporary folder.

import { existsSync, mkdtempSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type GenerateResult, generate } from '../../src/generate.js';

export const testDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const repositoryRoot = resolve(testDirectory, '../../..');

export function fixturePath(name: string): string {
  return join(testDirectory, 'fixtures', name);
}

const results = new Map<string, Promise<GenerateResult>>();

/** Generates from `fixtures/<name>.yaml` (or `<name>/openapi.yaml` + `asyncapi.yaml` for a folder fixture). */
export function generateFixture(name: string): Promise<GenerateResult> {
  let result = results.get(name);
  if (result === undefined) {
    result = existsSync(fixturePath(`${name}/openapi.yaml`))
      ? generate({
          openapiPath: fixturePath(`${name}/openapi.yaml`),
          asyncapiPath: fixturePath(`${name}/asyncapi.yaml`),
        })
      : generate({ openapiPath: fixturePath(`${name}.yaml`) });
    results.set(name, result);
  }
  return result;
}

/** Writes generated files into a new temporary folder (an ES module package) and returns its path. */
export async function writeOutput(result: GenerateResult): Promise<string> {
  const directory = mkdtempSync(join(tmpdir(), 'katapp-generator-'));
  await writeFile(join(directory, 'package.json'), '{"type":"module"}\n');
  for (const [path, content] of result.files) {
    await mkdir(dirname(join(directory, path)), { recursive: true });
    await writeFile(join(directory, path), content);
  }
  return directory;
}

export interface ValidateFunction {
  (data: unknown): boolean;
  errors?:
    | {
        instancePath: string;
        schemaPath: string;
        keyword: string;
        params: Record<string, unknown>;
        message?: string;
      }[]
    | null;
}

export interface ValidatorModule {
  operations: Record<
    string,
    {
      path?: ValidateFunction;
      query?: ValidateFunction;
      header?: ValidateFunction;
      body?: ValidateFunction;
      responses: Record<string, ValidateFunction>;
    }
  >;
  schemas: Record<string, ValidateFunction>;
  messages: Record<string, ValidateFunction>;
}

/** Imports the emitted standalone validator bundle. */
export async function loadValidators(result: GenerateResult): Promise<ValidatorModule> {
  const directory = await writeOutput(result);
  return (await import(join(directory, 'validators/index.js'))) as ValidatorModule;
}

/** Parses an emitted JSON file. */
export function outputJson<T = Record<string, unknown>>(result: GenerateResult, path: string): T {
  const content = result.files.get(path);
  if (content === undefined) throw new Error(`The generator wrote no ${path}.`);
  return JSON.parse(content) as T;
}

export function validator(validators: ValidatorModule, name: string): ValidateFunction {
  const found = validators.schemas[name];
  if (found === undefined) throw new Error(`No validator for schema ${name}.`);
  return found;
}

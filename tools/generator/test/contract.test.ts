// Tests over the real contract (api/ and asyncapi/). Every example passes its generated validator and a mutated
// copy fails. The standalone bundle agrees with an in-process Ajv compile, and the gateway models are valid
// draft-04. The committed generated/ folder is what the generator writes today.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAjv } from '../src/emit/validators/ajv-instance.js';
import { buildValidatorSet, type ValidatorSet } from '../src/emit/validators/schema-set.js';
import { type GenerateResult, generate } from '../src/generate.js';
import { type AsyncApiModel, loadAsyncApi, withAsyncApiSchemas } from '../src/inputs/load-asyncapi.js';
import { loadOpenApi } from '../src/inputs/load-openapi.js';
import { STAMP_FILE } from '../src/inputs/stamp.js';
import { collectOperations, enumValues, type OperationModel } from '../src/model/operations.js';
import { type PreparedContract, prepareContract } from '../src/prepare.js';
import { WRITE_VIEW_SUFFIX } from '../src/transforms/read-write-views.js';
import { clone, type JsonValue } from '../src/util/json.js';
import { compileGatewayModels } from './support/draft4.js';
import { collectExampleCases, type ExampleCase, mutateExample } from './support/examples.js';
import {
  loadValidators,
  repositoryRoot,
  type ValidateFunction,
  type ValidatorModule,
  writeOutput,
} from './support/fixtures.js';

const openapiPath = join(repositoryRoot, 'api/openapi.yaml');
const asyncapiPath = join(repositoryRoot, 'asyncapi/asyncapi.yaml');
const hasAsyncApi = existsSync(asyncapiPath);

let result: GenerateResult;
let validators: ValidatorModule;
let prepared: PreparedContract;
let operations: OperationModel[];
let asyncapi: AsyncApiModel | undefined;
let set: ValidatorSet;
let cases: ExampleCase[];
type RequestPart = 'path' | 'query' | 'header' | 'body';
/** Function name → `operations` of generated/validators/functions/<function>.js. */
const functionValidators = new Map<string, Record<string, Partial<Record<RequestPart, ValidateFunction>>>>();
/** Function name → source text of its validator module. */
const functionSources = new Map<string, string>();
let clientMessageValidators: Record<string, ValidateFunction> = {};

beforeAll(async () => {
  result = await generate({ openapiPath, ...(hasAsyncApi ? { asyncapiPath } : {}) });
  validators = await loadValidators(result);
  const { document } = await loadOpenApi(openapiPath);
  asyncapi = hasAsyncApi ? await loadAsyncApi(asyncapiPath, document) : undefined;
  prepared = prepareContract(withAsyncApiSchemas(document, asyncapi));
  operations = collectOperations(prepared.views, enumValues(prepared.views, 'Right'));
  set = buildValidatorSet(prepared, operations, asyncapi?.messages ?? []);
  cases = collectExampleCases(prepared.views, operations, asyncapi?.messages ?? []);
  const directory = await writeOutput(result);
  for (const functionName of new Set(operations.map((operation) => operation.functionName))) {
    const path = `validators/functions/${functionName}.js`;
    functionSources.set(functionName, result.files.get(path) ?? '');
    const module = await import(join(directory, path));
    functionValidators.set(functionName, module.operations);
  }
  if (hasAsyncApi) {
    clientMessageValidators = (await import(join(directory, 'validators/client-messages.js'))).messages;
  }
}, 300_000);

/** Combines both views: a schema example passes when either accepts it (a writeOnly password, a readOnly id). */
function eitherView(
  read: ValidateFunction | undefined,
  write: ValidateFunction | undefined,
): ValidateFunction | undefined {
  if (read === undefined || write === undefined) return read;
  const either: ValidateFunction = (data) => {
    const copy = clone(data as JsonValue);
    if (read(data)) {
      either.errors = null;
      return true;
    }
    const valid = write(copy);
    either.errors = valid ? null : [...(read.errors ?? []), ...(write.errors ?? [])];
    return valid;
  };
  return either;
}

function standaloneValidator(target: ExampleCase['target']): ValidateFunction | undefined {
  if (target.kind === 'message') return validators.messages[target.name];
  if (target.kind === 'schema') {
    return eitherView(
      validators.schemas[target.name],
      validators.schemas[`${target.name}${WRITE_VIEW_SUFFIX}`],
    );
  }
  const operation = validators.operations[target.operationId];
  if (target.part.startsWith('response:')) return operation?.responses[target.part.slice('response:'.length)];
  return operation?.[target.part as 'path' | 'query' | 'header' | 'body'];
}

function exportNameOf(
  target: ExampleCase['target'],
): { name: string; kind: 'data' | 'parameters' } | undefined {
  if (target.kind === 'message') {
    const name = set.messages.get(target.name);
    return name === undefined ? undefined : { name, kind: 'data' };
  }
  if (target.kind === 'schema') {
    const name = set.schemas.get(target.name);
    return name === undefined ? undefined : { name, kind: 'data' };
  }
  const names = set.operations.get(target.operationId);
  if (target.part.startsWith('response:')) {
    const name = names?.responses[target.part.slice('response:'.length)];
    return name === undefined ? undefined : { name, kind: 'data' };
  }
  const name = names?.[target.part as 'path' | 'query' | 'header' | 'body'];
  return name === undefined ? undefined : { name, kind: target.part === 'body' ? 'data' : 'parameters' };
}

const inProcess = new Map<string, ReturnType<typeof createAjv>>();
function inProcessValidator(target: ExampleCase['target']): ValidateFunction | undefined {
  if (target.kind === 'schema') {
    const write = `${target.name}${WRITE_VIEW_SUFFIX}`;
    return eitherView(
      compiledValidator({ kind: 'schema', name: target.name }),
      set.schemas.has(write) ? compiledValidator({ kind: 'schema', name: write }) : undefined,
    );
  }
  return compiledValidator(target);
}

function compiledValidator(target: ExampleCase['target']): ValidateFunction | undefined {
  const found = exportNameOf(target);
  if (found === undefined) return undefined;
  let ajv = inProcess.get(found.kind);
  if (ajv === undefined) {
    ajv = createAjv(found.kind, set.extensionKeywords, { standalone: false });
    for (const schema of [...set.components, ...(found.kind === 'data' ? set.data : set.parameters)]) {
      ajv.addSchema(schema.schema, schema.id);
    }
    inProcess.set(found.kind, ajv);
  }
  const entry = [...set.components, ...set.data, ...set.parameters].find(
    (schema) => schema.exportName === found.name,
  );
  return entry === undefined ? undefined : (ajv.getSchema(entry.id) as ValidateFunction | undefined);
}

function run(validate: ValidateFunction, value: JsonValue) {
  const data = clone(value);
  const valid = validate(data);
  return { valid, data, errors: valid ? null : (validate.errors ?? []).map((error) => ({ ...error })) };
}

describe('contract examples', () => {
  it('has examples to check', () => {
    expect(cases.length).toBeGreaterThan(20);
  });

  it('every example passes its generated validator', () => {
    const failures: string[] = [];
    for (const example of cases) {
      const validate = standaloneValidator(example.target);
      if (validate === undefined) {
        failures.push(`${example.label}: no validator`);
        continue;
      }
      const outcome = run(validate, example.value);
      if (!outcome.valid) failures.push(`${example.label}: ${JSON.stringify(outcome.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('a mutated copy of every example fails', () => {
    const failures: string[] = [];
    for (const example of cases) {
      const validate = standaloneValidator(example.target);
      const mutation = mutateExample(prepared.views, example.schema, example.value);
      if (validate === undefined || mutation === undefined) {
        failures.push(`${example.label}: no mutation the schema must reject`);
        continue;
      }
      if (run(validate, mutation.value).valid)
        failures.push(`${example.label}: still valid after ${mutation.change}`);
    }
    expect(failures).toEqual([]);
  });

  it('standalone and in-process Ajv give identical verdicts and errors', () => {
    const differences: string[] = [];
    for (const example of cases) {
      const standalone = standaloneValidator(example.target);
      const compiled = inProcessValidator(example.target);
      if (standalone === undefined || compiled === undefined) {
        differences.push(`${example.label}: validator missing`);
        continue;
      }
      const mutation = mutateExample(prepared.views, example.schema, example.value);
      for (const value of [example.value, ...(mutation ? [mutation.value] : [])]) {
        const left = run(standalone, value);
        const right = run(compiled, value);
        if (JSON.stringify(left) !== JSON.stringify(right)) {
          differences.push(`${example.label}: ${JSON.stringify(left)} ≠ ${JSON.stringify(right)}`);
        }
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('function validator modules', () => {
  const functionOf = (operationId: string) =>
    operations.find((operation) => operation.operationId === operationId)?.functionName ?? '';

  it('contain exactly the operations of their function', () => {
    for (const [functionName, module] of functionValidators) {
      const own = operations
        .filter((operation) => operation.functionName === functionName)
        .map((operation) => operation.operationId);
      expect(Object.keys(module), functionName).toEqual(own);
    }
  });

  it('contain the request validators of index.js and no response validators', () => {
    for (const [functionName, module] of functionValidators) {
      for (const [operationId, parts] of Object.entries(module)) {
        const full = validators.operations[operationId];
        const expected = (['path', 'query', 'header', 'body'] as const).filter((part) => full?.[part]);
        expect(Object.keys(parts), `${functionName}.${operationId}`).toEqual(expected);
      }
    }
  });

  it('leave out the validators of other functions', () => {
    for (const [functionName, source] of functionSources) {
      const foreign = operations.filter((operation) => operation.functionName !== functionName);
      const leaked = foreign
        .map((operation) => operation.operationId)
        .filter((operationId) =>
          new RegExp(
            `"${operationId}"|\\b${operationId}_(path|query|header|body|response)|/operations/${operationId}/`,
          ).test(source),
        );
      expect(leaked, functionName).toEqual([]);
    }
  });

  it('are smaller than index.js together', () => {
    const index = result.files.get('validators/index.js') ?? '';
    const largest = Math.max(...[...functionSources.values()].map((source) => source.length));
    expect(largest).toBeLessThan(index.length / 4);
  });

  it('give the verdicts and errors of index.js on every request example', () => {
    const differences: string[] = [];
    let compared = 0;
    for (const example of cases) {
      if (example.target.kind !== 'operation' || example.target.part.startsWith('response:')) continue;
      const { operationId } = example.target;
      const part = example.target.part as RequestPart;
      const own = functionValidators.get(functionOf(operationId))?.[operationId]?.[part];
      const full = validators.operations[operationId]?.[part];
      if (own === undefined || full === undefined) {
        differences.push(`${example.label}: validator missing`);
        continue;
      }
      const mutation = mutateExample(prepared.views, example.schema, example.value);
      for (const value of [example.value, ...(mutation ? [mutation.value] : [])]) {
        compared += 1;
        const left = run(own, value);
        const right = run(full, value);
        if (JSON.stringify(left) !== JSON.stringify(right)) {
          differences.push(`${example.label}: ${JSON.stringify(left)} ≠ ${JSON.stringify(right)}`);
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThan(10);
  });

  it.skipIf(!hasAsyncApi)('cover every client message with the verdicts of index.js', () => {
    const clientMessages = (asyncapi?.messages ?? []).filter((message) => message.direction === 'client');
    expect(Object.keys(clientMessageValidators).sort()).toEqual(
      clientMessages.map((message) => message.name).sort(),
    );
    const differences: string[] = [];
    for (const example of cases) {
      if (example.target.kind !== 'message') continue;
      const own = clientMessageValidators[example.target.name];
      if (own === undefined) continue;
      const full = validators.messages[example.target.name];
      const mutation = mutateExample(prepared.views, example.schema, example.value);
      for (const value of [example.value, ...(mutation ? [mutation.value] : [])]) {
        const left = run(own, value);
        const right = full === undefined ? undefined : run(full, value);
        if (JSON.stringify(left) !== JSON.stringify(right)) differences.push(example.label);
      }
    }
    expect(differences).toEqual([]);
  });
});

describe('function route modules', () => {
  it('list exactly the routes of their function', async () => {
    const directory = await writeOutput(result);
    const { routes } = await import(join(directory, 'operations/index.ts'));
    for (const functionName of new Set(operations.map((operation) => operation.functionName))) {
      const own = await import(join(directory, `operations/functions/${functionName}.ts`));
      const expected = (routes as { function: string }[]).filter((route) => route.function === functionName);
      expect(own.routes, functionName).toEqual(expected);
    }
  });

  it('import no values from the full route table', () => {
    for (const [path, source] of result.files) {
      if (!path.startsWith('operations/functions/') && path !== 'operations/parameters.ts') continue;
      const valueImports = source.split('\n').filter((line) => /^import (?!type )/.test(line));
      expect(valueImports, path).toEqual([]);
    }
  });
});

describe('contract gateway definition', () => {
  it('is OpenAPI 3.0.x with draft-04 models', () => {
    const document = JSON.parse(result.files.get('apigateway/openapi.json') ?? '{}');
    expect(document.openapi).toMatch(/^3\.0\.\d+$/);
    const models = compileGatewayModels(document.components.schemas);
    const invalid = Object.entries(document.components.schemas)
      .filter(([, model]) => !models.meta(model))
      .map(([name]) => name);
    expect(invalid).toEqual([]);
  });

  it('never rejects a request body example that Ajv accepts', () => {
    const document = JSON.parse(result.files.get('apigateway/openapi.json') ?? '{}');
    const models = compileGatewayModels(document.components.schemas);
    const rejected: string[] = [];
    for (const example of cases) {
      if (example.target.kind !== 'operation' || example.target.part !== 'body') continue;
      const operation = operations.find(
        (entry) => entry.operationId === (example.target as { operationId: string }).operationId,
      );
      const gatewayOperation = document.paths[operation?.path ?? '']?.[operation?.method ?? ''];
      const ref: string | undefined =
        gatewayOperation?.requestBody?.content?.['application/json']?.schema?.$ref;
      if (ref === undefined) continue;
      const model = models.model(ref.replace('#/components/schemas/', ''));
      if (!model(clone(example.value))) rejected.push(`${example.label}: ${JSON.stringify(model.errors)}`);
    }
    expect(rejected).toEqual([]);
  });

  it('routes every operation to a function integration', () => {
    const document = JSON.parse(result.files.get('apigateway/openapi.json') ?? '{}');
    for (const operation of operations) {
      const gatewayOperation = document.paths[operation.path]?.[operation.method];
      expect(gatewayOperation?.['x-amazon-apigateway-integration']?.uri, operation.operationId).toBe(
        `\${KatAppFunctionUri:${operation.functionName}}`,
      );
      expect(gatewayOperation?.security !== undefined, operation.operationId).toBe(operation.authenticated);
    }
  });
});

describe('committed generated folder', () => {
  it('matches a fresh run byte for byte', async () => {
    const directory = join(repositoryRoot, 'generated');
    const stale: string[] = [];
    for (const [path, content] of result.files) {
      const file = join(directory, path);
      const current = existsSync(file) ? await readFile(file, 'utf8') : undefined;
      if (current !== content) stale.push(path);
    }
    const entries = await readdir(directory, { withFileTypes: true, recursive: true });
    const extra = entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(directory, join(entry.parentPath, entry.name)))
      .filter((path) => path !== STAMP_FILE && !result.files.has(path));
    expect({ stale, extra }, 'run `make generate` and commit generated/').toEqual({ stale: [], extra: [] });
  });
});

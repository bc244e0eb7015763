// The whole pipeline: contract files in, generated files (relative path → content) out. Writes nothing itself.

import { emitOperations } from './emit/operations.js';
import { emitTypes } from './emit/types.js';
import { bundleValidators } from './emit/validators/bundle.js';
import { emitValidatorDeclarations } from './emit/validators/declarations.js';
import { buildValidatorSet } from './emit/validators/schema-set.js';
import { type AsyncApiModel, loadAsyncApi } from './inputs/load-asyncapi.js';
import { loadOpenApi } from './inputs/load-openapi.js';
import { collectOperations, rightNames } from './model/operations.js';
import { prepareContract, typesDocument } from './prepare.js';
import { GENERATED_NOTICE, JSON_NOTICE_KEY } from './util/header.js';
import { type JsonObject, toJson } from './util/json.js';

export interface GenerateOptions {
  openapiPath: string;
  /** Optional: without it no websocket output is written. */
  asyncapiPath?: string;
}

export interface GenerateResult {
  files: Map<string, string>;
  /** Absolute paths of every contract file that was read. */
  inputs: string[];
}

function withNotice(document: JsonObject): JsonObject {
  return { [JSON_NOTICE_KEY]: GENERATED_NOTICE, ...document };
}

export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const files = new Map<string, string>();
  const { document: source, files: inputs } = await loadOpenApi(options.openapiPath);
  files.set('openapi.json', toJson(withNotice(source)));

  const prepared = prepareContract(source);
  const rights = rightNames(prepared.views);
  const operations = collectOperations(prepared.views, rights);

  const asyncapi: AsyncApiModel | undefined =
    options.asyncapiPath === undefined ? undefined : await loadAsyncApi(options.asyncapiPath, source);

  files.set('types/openapi.d.ts', await emitTypes(typesDocument(prepared)));
  files.set('operations/index.ts', emitOperations(operations, rights ?? []));

  const validatorSet = buildValidatorSet(prepared, operations, asyncapi?.messages ?? []);
  files.set('validators/index.js', await bundleValidators(validatorSet));
  files.set('validators/index.d.ts', emitValidatorDeclarations(validatorSet));
  return { files, inputs: [...inputs, ...(asyncapi?.files ?? [])].sort() };
}

// The whole pipeline: contract files in, generated files (relative path → content) out. Writes nothing itself.

import { emitOperations } from './emit/operations.js';
import { emitTypes } from './emit/types.js';
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

  files.set('types/openapi.d.ts', await emitTypes(typesDocument(prepared)));
  files.set('operations/index.ts', emitOperations(operations, rights ?? []));
  return { files, inputs };
}

// The whole pipeline: contract files in, generated files (relative path → content) out. Writes nothing itself.

import { buildGatewayDefinition } from './emit/apigateway/definition.js';
import { reportMarkdown } from './emit/apigateway/report.js';
import { emitFunctionRoutes, emitOperations } from './emit/operations.js';
import { emitParameters } from './emit/parameters.js';
import { emitTypes } from './emit/types.js';
import { bundleValidators } from './emit/validators/bundle.js';
import {
  emitClientMessageDeclarations,
  emitFunctionValidatorDeclarations,
  emitValidatorDeclarations,
} from './emit/validators/declarations.js';
import { buildValidatorSet } from './emit/validators/schema-set.js';
import { emitWebSocket } from './emit/websocket.js';
import { type AsyncApiModel, loadAsyncApi, withAsyncApiSchemas } from './inputs/load-asyncapi.js';
import { loadOpenApi } from './inputs/load-openapi.js';
import { collectOperations, enumValues } from './model/operations.js';
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

  const asyncapi: AsyncApiModel | undefined =
    options.asyncapiPath === undefined ? undefined : await loadAsyncApi(options.asyncapiPath, source);
  // Types and validators also cover the AsyncAPI document's own schemas; generated/openapi.json stays pure OpenAPI.
  const prepared = prepareContract(withAsyncApiSchemas(source, asyncapi));
  const rights = enumValues(prepared.views, 'Right');
  const operations = collectOperations(prepared.views, rights);

  files.set('types/openapi.d.ts', await emitTypes(typesDocument(prepared)));
  files.set('operations/index.ts', emitOperations(operations, rights ?? []));
  files.set('operations/parameters.ts', emitParameters());
  // One route table per Lambda function, so a function bundle carries only its own routes.
  for (const functionName of new Set(operations.map((operation) => operation.functionName))) {
    files.set(`operations/functions/${functionName}.ts`, emitFunctionRoutes(operations, functionName));
  }

  const validatorSet = buildValidatorSet(prepared, operations, asyncapi?.messages ?? []);
  const validatorBundles = await bundleValidators(validatorSet);
  files.set('validators/index.js', validatorBundles.index);
  files.set('validators/index.d.ts', emitValidatorDeclarations(validatorSet));
  // One module per Lambda function with only its request validators keeps each function bundle small.
  for (const [functionName, code] of validatorBundles.functions) {
    files.set(`validators/functions/${functionName}.js`, code);
    files.set(`validators/functions/${functionName}.d.ts`, emitFunctionValidatorDeclarations(functionName));
  }
  if (asyncapi !== undefined) {
    files.set('validators/client-messages.js', validatorBundles.clientMessages);
    files.set('validators/client-messages.d.ts', emitClientMessageDeclarations(validatorSet));
  }

  const problemCodes = enumValues(prepared.views, 'ProblemCode');
  const gateway = buildGatewayDefinition(prepared, operations, problemCodes ? { problemCodes } : {});
  files.set('apigateway/openapi.json', toJson(gateway.document));
  files.set('apigateway/report.md', reportMarkdown(gateway.report));
  files.set(
    'apigateway/report.json',
    toJson(withNotice({ entries: gateway.report.sorted() as unknown as JsonObject[] })),
  );

  if (asyncapi !== undefined) files.set('websocket/index.ts', emitWebSocket(asyncapi));
  return { files, inputs: [...inputs, ...(asyncapi?.files ?? [])].sort() };
}

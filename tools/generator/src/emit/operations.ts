// The route table and typed handler signatures (generated/operations/index.ts), one entry per OpenAPI Operation
// Object (OpenAPI 3.1), and the per-function route tables (generated/operations/functions/<function>.ts).

import type { OperationModel, ParameterModel } from '../model/operations.js';
import { tsHeader } from '../util/header.js';

const literal = (value: unknown): string => JSON.stringify(value);

function statusKey(status: string): string {
  return /^\d{3}$/.test(status) ? status : literal(status);
}

function parameterEntry(parameter: ParameterModel): string {
  const fields = [
    `name: ${literal(parameter.name)}`,
    `in: ${literal(parameter.in)}`,
    `required: ${parameter.required}`,
    `style: ${literal(parameter.style)}`,
    `explode: ${parameter.explode}`,
    `type: ${literal(parameter.type)}`,
  ];
  if (parameter.itemType !== undefined) fields.push(`itemType: ${literal(parameter.itemType)}`);
  return `{ ${fields.join(', ')} }`;
}

function routeEntry(operation: OperationModel): string {
  const body = operation.requestBody;
  const firstMedia = body?.content[0];
  const requestBody =
    body === null || firstMedia === undefined
      ? 'null'
      : `{ contentType: ${literal(firstMedia.contentType)}, required: ${body.required} }`;
  return [
    '  {',
    `    operationId: ${literal(operation.operationId)},`,
    `    method: ${literal(operation.method)},`,
    `    path: ${literal(operation.path)},`,
    `    function: ${literal(operation.functionName)},`,
    `    rights: [${operation.rights.map(literal).join(', ')}],`,
    `    authenticated: ${operation.authenticated},`,
    `    parameters: [${operation.parameters.map(parameterEntry).join(', ')}],`,
    `    requestBody: ${requestBody},`,
    `    responses: [${operation.responses.map((response) => literal(response.status)).join(', ')}],`,
    `    successStatus: ${operation.successStatus},`,
    '  },',
  ].join('\n');
}

function parameterType(operation: OperationModel, location: 'path' | 'query' | 'header'): string {
  const declared = operation.parameters.filter((parameter) => parameter.in === location);
  if (declared.length === 0) return 'Record<string, never>';
  return `NonNullable<operations[${literal(operation.operationId)}]['parameters'][${literal(location)}]>`;
}

function requestType(operation: OperationModel): string {
  const id = literal(operation.operationId);
  const media = operation.requestBody?.content[0];
  let body = 'undefined';
  if (operation.requestBody !== null && media !== undefined) {
    body = `NonNullable<operations[${id}]['requestBody']>['content'][${literal(media.contentType)}]`;
    if (!operation.requestBody.required) body += ' | undefined';
  }
  return [
    `  ${operation.operationId}: {`,
    `    path: ${parameterType(operation, 'path')};`,
    `    query: ${parameterType(operation, 'query')};`,
    `    header: ${parameterType(operation, 'header')};`,
    `    body: ${body};`,
    '  };',
  ].join('\n');
}

function responseType(operation: OperationModel): string {
  const id = literal(operation.operationId);
  const variants = operation.responses.map((response) => {
    const status = /^\d{3}$/.test(response.status) ? response.status : 'number';
    const media = response.content[0];
    const body =
      media === undefined
        ? 'body?: undefined'
        : `body: operations[${id}]['responses'][${statusKey(response.status)}]['content'][${literal(media.contentType)}]`;
    return `    | { status: ${status}; ${body}; headers?: Record<string, string> }`;
  });
  return [
    `  ${operation.operationId}:`,
    ...variants.map((line, index) => (index === variants.length - 1 ? `${line};` : line)),
  ].join('\n');
}

// Lookup by operation id for tools and tests; the Lambda adapter calls collectRouteParameters with its own routes.
const COLLECT_PARAMETERS = `
/**
 * Collects the parameters of the operation \`operationId\` from API Gateway's maps (see collectRouteParameters in
 * ./parameters.ts for the serialization rules).
 */
export function collectParameters(operationId: OperationId, raw: RawParameters): CollectedParameters {
  const route: RouteDefinition | undefined = routes.find((candidate) => candidate.operationId === operationId);
  if (route === undefined) throw new Error(\`Unknown operationId "\${operationId}".\`);
  return collectRouteParameters(route, raw);
}
`;

const ROUTE_DECLARATIONS = [
  "export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';",
  '',
  'export interface ParameterDefinition {',
  '  readonly name: string;',
  "  readonly in: 'path' | 'query' | 'header' | 'cookie';",
  '  readonly required: boolean;',
  '  readonly style: string;',
  '  readonly explode: boolean;',
  '  readonly type: ParameterType;',
  '  readonly itemType?: ParameterType;',
  '}',
  '',
  'export interface RouteDefinition {',
  '  readonly operationId: string;',
  "  readonly method: 'get' | 'put' | 'post' | 'delete' | 'options' | 'head' | 'patch' | 'trace';",
  '  /** OpenAPI path template, e.g. `/patients/{patientId}`. */',
  '  readonly path: string;',
  '  /** The Lambda function that implements the operation (the operation tag). */',
  '  readonly function: string;',
  '  /** Rights the caller needs, all of them. */',
  '  readonly rights: readonly Right[];',
  '  /** False for public operations (`security: []`). */',
  '  readonly authenticated: boolean;',
  '  readonly parameters: readonly ParameterDefinition[];',
  '  readonly requestBody: { readonly contentType: string; readonly required: boolean } | null;',
  '  /** Declared response status codes (`default` and ranges such as `4XX` included as written). */',
  '  readonly responses: readonly string[];',
  '  /** The lowest declared 2xx status. */',
  '  readonly successStatus: number;',
  '}',
  '',
].join('\n');

export function emitOperations(operations: OperationModel[], rights: string[]): string {
  const functions = [...new Set(operations.map((operation) => operation.functionName))].sort();
  const lines: string[] = [tsHeader()];
  lines.push(
    "import type { operations } from '../types/openapi.js';",
    "import { type CollectedParameters, collectRouteParameters, type RawParameters } from './parameters.js';",
    '',
    "export type { CollectedParameters, RawParameters } from './parameters.js';",
    '',
  );
  lines.push('/** Every right a role can grant (the `Right` schema enum). */');
  lines.push(`export const rights = [${rights.map(literal).join(', ')}] as const;`);
  lines.push('export type Right = (typeof rights)[number];', '');

  lines.push(ROUTE_DECLARATIONS);

  lines.push('export const routes = [');
  for (const operation of operations) lines.push(routeEntry(operation));
  lines.push('] as const satisfies readonly RouteDefinition[];', '');

  lines.push("export type OperationId = (typeof routes)[number]['operationId'];");
  lines.push("export type FunctionName = (typeof routes)[number]['function'];");
  lines.push(
    `export const functionNames = [${functions.map(literal).join(', ')}] as const satisfies readonly FunctionName[];`,
    '',
  );

  lines.push(
    '/** Operation ids per function: a function module implements `Pick<OperationHandlers<Ctx>, FunctionOperations[name]>`. */',
  );
  lines.push('export interface FunctionOperations {');
  for (const name of functions) {
    const ids = operations
      .filter((operation) => operation.functionName === name)
      .map((operation) => literal(operation.operationId));
    lines.push(`  ${name}: ${ids.join(' | ')};`);
  }
  lines.push('}', '');

  lines.push(
    '/** Validated request parts per operation: path, query and header parameters by declared name, and the body. */',
  );
  lines.push('export interface OperationRequests {');
  for (const operation of operations) lines.push(requestType(operation));
  lines.push('}', '');

  lines.push('/** The responses an operation may return, one variant per declared status. */');
  lines.push('export interface OperationResponses {');
  for (const operation of operations) lines.push(responseType(operation));
  lines.push('}', '');

  lines.push(
    'export type OperationRequest<K extends OperationId> = OperationRequests[K];',
    'export type OperationResponse<K extends OperationId> = OperationResponses[K];',
    'export type OperationHandler<K extends OperationId, Ctx> = (',
    '  request: OperationRequest<K>,',
    '  context: Ctx,',
    ') => Promise<OperationResponse<K>>;',
    'export type OperationHandlers<Ctx> = { [K in OperationId]: OperationHandler<K, Ctx> };',
  );
  lines.push(COLLECT_PARAMETERS);
  return lines.join('\n');
}

/**
 * Emits generated/operations/functions/<function>.ts: the routes of one Lambda function, the same entries as in the
 * full table, so the function's bundle leaves out every other function's routes.
 */
export function emitFunctionRoutes(operations: OperationModel[], functionName: string): string {
  const own = operations.filter((operation) => operation.functionName === functionName);
  return [
    tsHeader(),
    "import type { RouteDefinition } from '../index.js';",
    '',
    `/** Routes of the Lambda function \`${functionName}\`, in contract order. */`,
    'export const routes = [',
    ...own.map(routeEntry),
    '] as const satisfies readonly RouteDefinition[];',
    '',
  ].join('\n');
}

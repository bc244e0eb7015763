// The route table and typed handler signatures (generated/operations/index.ts), one entry per OpenAPI Operation
// Object (OpenAPI 3.1), with the parameter serialization rules of the Parameter Object (style and explode).

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

// The run-time part of the module: parameter collection from an API Gateway proxy event's maps.
const COLLECT_PARAMETERS = `
/** The parameter maps of an API Gateway REST proxy event (version 1.0); absent maps are null there. */
export interface RawParameters {
  pathParameters?: Record<string, string | undefined> | null;
  queryStringParameters?: Record<string, string | undefined> | null;
  multiValueQueryStringParameters?: Record<string, string[] | undefined> | null;
  headers?: Record<string, string | undefined> | null;
  multiValueHeaders?: Record<string, string[] | undefined> | null;
}

/** Parameters grouped by location, keyed by their declared names, ready for the parameter validators. */
export interface CollectedParameters {
  path: Record<string, string | string[] | Record<string, string>>;
  query: Record<string, string | string[] | Record<string, string>>;
  header: Record<string, string | string[] | Record<string, string>>;
}

const routesById = new Map<string, RouteDefinition>(routes.map((route) => [route.operationId, route]));

const DELIMITERS: Record<string, string> = { form: ',', simple: ',', pipeDelimited: '|', spaceDelimited: ' ' };

function decodePathValue(value: string): string {
  // API Gateway passes path parameters percent-encoded as sent (%2F stays %2F); handlers see decoded values.
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function lowerCaseKeys<T>(map: Record<string, T | undefined> | null | undefined): Map<string, T> {
  const result = new Map<string, T>();
  for (const [key, value] of Object.entries(map ?? {})) if (value !== undefined) result.set(key.toLowerCase(), value);
  return result;
}

function shape(parameter: ParameterDefinition, values: string[]): string | string[] {
  if (parameter.type !== 'array') return values[values.length - 1] ?? '';
  if (parameter.explode && parameter.in === 'query') return values;
  const delimiter = DELIMITERS[parameter.style] ?? ',';
  const joined = values[values.length - 1] ?? '';
  if (joined === '') return [];
  const parts = joined.split(delimiter);
  return parameter.in === 'header' ? parts.map((part) => part.trim()) : parts;
}

/**
 * Collects one operation's parameters from API Gateway's maps, following each parameter's style and explode.
 * An exploded query array takes every value. \`form\` (explode false) splits on ",", \`pipeDelimited\` on "|" and
 * \`spaceDelimited\` on " ". \`deepObject\` reads \`name[key]\` entries, and scalars take the last value. Header
 * names match case-insensitively, and path values are percent-decoded. Values stay strings because the parameter
 * validators coerce them to the declared types.
 */
export function collectParameters(operationId: OperationId, raw: RawParameters): CollectedParameters {
  const route = routesById.get(operationId);
  if (route === undefined) throw new Error(\`Unknown operationId "\${operationId}".\`);
  const collected: CollectedParameters = { path: {}, query: {}, header: {} };
  const query = new Map<string, string[]>();
  for (const [key, values] of Object.entries(raw.multiValueQueryStringParameters ?? {})) {
    if (values !== undefined) query.set(key, values);
  }
  for (const [key, value] of Object.entries(raw.queryStringParameters ?? {})) {
    if (value !== undefined && !query.has(key)) query.set(key, [value]);
  }
  const multiHeaders = lowerCaseKeys(raw.multiValueHeaders);
  const headers = lowerCaseKeys(raw.headers);
  for (const parameter of route.parameters) {
    if (parameter.in === 'path') {
      const value = raw.pathParameters?.[parameter.name];
      if (value !== undefined) collected.path[parameter.name] = shape(parameter, [decodePathValue(value)]);
    } else if (parameter.in === 'query') {
      if (parameter.style === 'deepObject') {
        const object: Record<string, string> = {};
        const prefix = \`\${parameter.name}[\`;
        for (const [key, values] of query) {
          if (key.startsWith(prefix) && key.endsWith(']')) object[key.slice(prefix.length, -1)] = values[values.length - 1] ?? '';
        }
        if (Object.keys(object).length > 0) collected.query[parameter.name] = object;
        continue;
      }
      const values = query.get(parameter.name);
      if (values !== undefined) collected.query[parameter.name] = shape(parameter, values);
    } else if (parameter.in === 'header') {
      const key = parameter.name.toLowerCase();
      const values = multiHeaders.get(key) ?? (headers.has(key) ? [headers.get(key) ?? ''] : undefined);
      if (values !== undefined) collected.header[parameter.name] = shape(parameter, values);
    }
  }
  return collected;
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
  lines.push("import type { operations } from '../types/openapi.js';", '');
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

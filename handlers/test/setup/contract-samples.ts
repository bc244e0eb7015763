/**
 * Values taken from the contract itself (generated/openapi.json): parameter examples and request body examples,
 * so contract tests build their inputs from the same source as the handlers' validators.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { OperationId } from '../../../generated/operations/index.js';
import { routeOf } from './gateway.js';

interface ParameterObject {
  name: string;
  in: string;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
  schema?: { examples?: unknown[]; $ref?: string };
  $ref?: string;
}

interface OperationObject {
  parameters?: ParameterObject[];
  requestBody?: {
    content?: Record<string, { examples?: Record<string, { value?: unknown }>; example?: unknown }>;
  };
}

type Document = {
  paths: Record<string, Record<string, OperationObject | ParameterObject[]>>;
  components?: Record<string, Record<string, unknown>>;
};

const document = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../../generated/openapi.json', import.meta.url)), 'utf8'),
) as Document;

function resolve<T>(value: T | { $ref?: string }): T {
  const ref = (value as { $ref?: string }).$ref;
  if (ref === undefined) {
    return value as T;
  }
  const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
  const target =
    section === undefined || name === undefined ? undefined : document.components?.[section]?.[name];
  if (target === undefined) {
    throw new Error(`Unresolvable $ref ${ref} in generated/openapi.json`);
  }
  return resolve(target as T);
}

function operationObject(operationId: OperationId): {
  operation: OperationObject;
  pathParameters: ParameterObject[];
} {
  const route = routeOf(operationId);
  const pathItem = document.paths[route.path];
  const operation = pathItem?.[route.method] as OperationObject | undefined;
  if (pathItem === undefined || operation === undefined) {
    throw new Error(`generated/openapi.json has no ${route.method} ${route.path}; run make generate.`);
  }
  return { operation, pathParameters: (pathItem.parameters as ParameterObject[] | undefined) ?? [] };
}

/** Returns every parameter of an operation (path-item and operation level) with $refs resolved. */
export function parametersOf(operationId: OperationId): ParameterObject[] {
  const { operation, pathParameters } = operationObject(operationId);
  const byKey = new Map<string, ParameterObject>();
  for (const parameter of [...pathParameters, ...(operation.parameters ?? [])].map((item) => resolve(item))) {
    byKey.set(`${parameter.in}:${parameter.name}`, parameter);
  }
  return [...byKey.values()];
}

/** Returns the contract's example value of a parameter, as a string for the URL. */
export function parameterExample(operationId: OperationId, name: string): string {
  const parameter = parametersOf(operationId).find((candidate) => candidate.name === name);
  if (parameter === undefined) {
    throw new Error(`${operationId} has no parameter ${name}.`);
  }
  const schema = parameter.schema === undefined ? undefined : resolve(parameter.schema);
  const value =
    parameter.example ??
    Object.values(parameter.examples ?? {})[0]?.value ??
    (schema as { examples?: unknown[] } | undefined)?.examples?.[0];
  if (value === undefined) {
    throw new Error(`Parameter ${name} of ${operationId} has no example in the contract.`);
  }
  return Array.isArray(value) ? value.join(',') : String(value);
}

/** Returns the path parameters of an operation filled with the contract's examples. */
export function examplePathParameters(operationId: OperationId): Record<string, string> {
  return Object.fromEntries(
    parametersOf(operationId)
      .filter((parameter) => parameter.in === 'path')
      .map((parameter) => [parameter.name, parameterExample(operationId, parameter.name)]),
  );
}

/** Returns the first request body example of an operation, or undefined when it takes no body. */
export function requestExample(operationId: OperationId): unknown {
  const { operation } = operationObject(operationId);
  const content = operation.requestBody === undefined ? undefined : resolve(operation.requestBody).content;
  const media = content === undefined ? undefined : Object.values(content)[0];
  if (media === undefined) {
    return undefined;
  }
  const example =
    media.example ?? Object.values(media.examples ?? {}).map((entry) => resolve(entry).value)[0];
  return structuredClone(example);
}

/**
 * Reading the API Gateway import definition (generated/apigateway/openapi.json): its operations, the
 * Lambda functions they integrate with, and the substitution of the `${KatAppFunctionUri:<name>}`
 * placeholders by integration URIs.
 */
import { existsSync, readFileSync } from 'node:fs';

/** An OpenAPI 3.0 document as parsed JSON; only the members read here are typed. */
export interface RestApiDefinition {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, unknown>>;
  readonly components?: { readonly securitySchemes?: Record<string, unknown> };
  readonly [key: string]: unknown;
}

/** One method of the definition and the function its integration calls. */
export interface RestOperation {
  /** The operationId, or `<METHOD> <path>` when the method has none (CORS preflights). */
  readonly operationId: string;
  /** Upper-case HTTP method. */
  readonly method: string;
  /** Path template as in the definition, e.g. `/patients/{patientId}`. */
  readonly path: string;
  /** Lambda function group named in the integration URI, or undefined for a MOCK integration. */
  readonly functionName?: string;
  readonly integrationType: string;
}

const PLACEHOLDER = /^\$\{KatAppFunctionUri:([a-z][a-z0-9-]*)\}$/;
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

export class RestDefinitionError extends Error {
  override readonly name = 'RestDefinitionError';
}

/** Reads and parses the definition at `file`; a missing file means `make generate` has not run. */
export function loadRestApiDefinition(file: string): { definition: RestApiDefinition; text: string } {
  if (!existsSync(file)) {
    throw new RestDefinitionError(
      `API Gateway definition ${file} does not exist. Run "make generate" to write it from api/.`,
    );
  }
  const text = readFileSync(file, 'utf8');
  const definition = JSON.parse(text) as RestApiDefinition;
  if (typeof definition.openapi !== 'string' || !definition.openapi.startsWith('3.0.')) {
    throw new RestDefinitionError(
      `${file}: API Gateway imports OpenAPI 3.0 only, but the document declares openapi "${String(definition.openapi)}".`,
    );
  }
  if (typeof definition.paths !== 'object' || definition.paths === null) {
    throw new RestDefinitionError(`${file}: the document has no "paths" object.`);
  }
  return { definition, text };
}

/**
 * Lists every method of every path with the function its integration calls. Throws for a method without an
 * `x-amazon-apigateway-integration`, because API Gateway rejects such a definition at deploy time and a
 * SpecRestApi ignores any default integration.
 */
export function listRestOperations(definition: RestApiDefinition): RestOperation[] {
  const operations: RestOperation[] = [];
  const missing: string[] = [];
  for (const [path, item] of Object.entries(definition.paths)) {
    for (const [key, value] of Object.entries(item)) {
      const method = key.toLowerCase();
      if (method === 'x-amazon-apigateway-any-method') {
        throw new RestDefinitionError(
          `${path} uses x-amazon-apigateway-any-method; name each HTTP method, because Lambda permissions need the real method.`,
        );
      }
      if (!HTTP_METHODS.includes(method)) {
        continue;
      }
      const operation = value as Record<string, unknown>;
      const operationId =
        typeof operation.operationId === 'string' ? operation.operationId : `${key.toUpperCase()} ${path}`;
      const integration = operation['x-amazon-apigateway-integration'] as Record<string, unknown> | undefined;
      if (!integration) {
        missing.push(`${key.toUpperCase()} ${path} (${operationId})`);
        continue;
      }
      const type = String(integration.type ?? '');
      let functionName: string | undefined;
      if (type === 'aws_proxy' || type === 'aws') {
        functionName = placeholderFunction(integration.uri);
        if (functionName === undefined) {
          throw new RestDefinitionError(
            `${key.toUpperCase()} ${path}: integration uri ${JSON.stringify(integration.uri)} is not a \${KatAppFunctionUri:<function>} placeholder.`,
          );
        }
        if (String(integration.httpMethod).toUpperCase() !== 'POST') {
          throw new RestDefinitionError(
            `${key.toUpperCase()} ${path}: Lambda integrations must use httpMethod POST, got ${JSON.stringify(integration.httpMethod)}.`,
          );
        }
      }
      operations.push({ operationId, method: key.toUpperCase(), path, functionName, integrationType: type });
    }
  }
  if (missing.length > 0) {
    throw new RestDefinitionError(`Methods without x-amazon-apigateway-integration: ${missing.join(', ')}.`);
  }
  return operations;
}

/** Returns the functions named in the authorizers' `authorizerUri` placeholders. */
export function listAuthorizerFunctions(definition: RestApiDefinition): string[] {
  const names = new Set<string>();
  for (const scheme of Object.values(definition.components?.securitySchemes ?? {})) {
    const authorizer = (scheme as Record<string, unknown>)['x-amazon-apigateway-authorizer'] as
      | Record<string, unknown>
      | undefined;
    const name = placeholderFunction(authorizer?.authorizerUri);
    if (name !== undefined) {
      names.add(name);
    }
  }
  return [...names];
}

/** Returns a deep copy of `value` with every placeholder string replaced by `uriFor(function)`. */
export function substituteFunctionUris<T>(value: T, uriFor: (functionName: string) => string): T {
  if (typeof value === 'string') {
    const name = placeholderFunction(value);
    return (name === undefined ? value : uriFor(name)) as T;
  }
  if (Array.isArray(value)) {
    return value.map((item) => substituteFunctionUris(item, uriFor)) as T;
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, substituteFunctionUris(item, uriFor)]),
    ) as T;
  }
  return value;
}

/**
 * The resource part of an execute-api SourceArn for a method: path parameters, including greedy `{proxy+}`,
 * become `*`, because a literal `{id}` in a Lambda permission makes API Gateway return 500.
 */
export function executeApiPath(path: string): string {
  return path.replace(/\{[^}]+\}/g, '*');
}

function placeholderFunction(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return undefined;
  }
  return PLACEHOLDER.exec(value)?.[1];
}

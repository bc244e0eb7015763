// Reads an API Gateway REST import definition (OpenAPI 3.0 with x-amazon-apigateway-* extensions).

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { LocalTemplateError } from '../errors.js';
import type { LocalStack } from '../template/stack.js';

export type JsonObject = Record<string, unknown>;

export interface Integration {
  type: string;
  uri?: string;
  httpMethod?: string;
  timeoutInMillis?: number;
  requestTemplates?: Record<string, string>;
  responses?: Record<
    string,
    {
      statusCode?: string;
      responseParameters?: Record<string, string>;
      responseTemplates?: Record<string, string>;
    }
  >;
  passthroughBehavior?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}

export interface Authorizer {
  name: string;
  type: string;
  uri: string;
  /** Identity sources such as `method.request.header.Authorization`. */
  identitySources: string[];
  resultTtlSeconds: number;
}

export interface Operation {
  method: string;
  /** The resource path template, e.g. `/patients/{patientId}`. */
  resource: string;
  operationId?: string;
  integration: Integration;
  parameters: Parameter[];
  /** Request body schemas by media type, with `$ref`s pointing into the definition. */
  requestBodies: Record<string, unknown>;
  bodyRequired: boolean;
  validator: { body: boolean; parameters: boolean };
  authorizer?: Authorizer;
}

export interface GatewayResponse {
  statusCode?: string;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

export interface RestApiDefinition {
  logicalId: string;
  apiId: string;
  stageName: string;
  document: JsonObject;
  operations: Operation[];
  binaryMediaTypes: string[];
  gatewayResponses: Record<string, GatewayResponse>;
  minimumCompressionSize?: number;
}

const METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'x-amazon-apigateway-any-method',
];

/** Finds the stack's REST API (AWS::ApiGateway::RestApi with a Body or BodyS3Location) and reads its definition. */
export function loadRestApis(stack: LocalStack): RestApiDefinition[] {
  return stack.resourcesOfType('AWS::ApiGateway::RestApi').map((resource) => {
    const document = definitionDocument(stack, resource.logicalId, resource.properties);
    const stageName = stageNameOf(stack, resource.logicalId);
    const apiBinaryTypes = (resource.properties.BinaryMediaTypes as string[] | undefined) ?? [];
    return parseDefinition(
      resource.logicalId,
      stack.apiId(resource.logicalId),
      stageName,
      document,
      apiBinaryTypes,
    );
  });
}

function definitionDocument(stack: LocalStack, logicalId: string, properties: JsonObject): JsonObject {
  if (properties.Body && typeof properties.Body === 'object') {
    return properties.Body as JsonObject;
  }
  const location = properties.BodyS3Location as { Key?: string } | undefined;
  const file = location?.Key ? stack.fileAssetPath(location.Key) : undefined;
  if (!file) {
    throw new LocalTemplateError(
      `REST API ${logicalId} has neither an inline Body nor a BodyS3Location that points at a local asset.`,
    );
  }
  const text = readFileSync(file, 'utf8');
  return stack.resolve(file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as JsonObject;
}

// The stage comes from an AWS::ApiGateway::Stage, or from a Deployment's StageName, of this API.
function stageNameOf(stack: LocalStack, apiLogicalId: string): string {
  const apiRef = stack.ref(apiLogicalId);
  for (const stage of stack.resourcesOfType('AWS::ApiGateway::Stage')) {
    if (stage.properties.RestApiId === apiRef && typeof stage.properties.StageName === 'string') {
      return stage.properties.StageName;
    }
  }
  for (const deployment of stack.resourcesOfType('AWS::ApiGateway::Deployment')) {
    if (deployment.properties.RestApiId === apiRef && typeof deployment.properties.StageName === 'string') {
      return deployment.properties.StageName;
    }
  }
  return 'prod';
}

/** Extracts operations, authorizers, validators and gateway responses from a resolved definition. */
export function parseDefinition(
  logicalId: string,
  apiId: string,
  stageName: string,
  document: JsonObject,
  extraBinaryMediaTypes: string[] = [],
): RestApiDefinition {
  const validators = (document['x-amazon-apigateway-request-validators'] ?? {}) as Record<
    string,
    { validateRequestBody?: boolean; validateRequestParameters?: boolean }
  >;
  const defaultValidatorName = document['x-amazon-apigateway-request-validator'] as string | undefined;
  const securitySchemes = ((document.components as JsonObject | undefined)?.securitySchemes ?? {}) as Record<
    string,
    JsonObject
  >;
  const operations: Operation[] = [];
  const paths = (document.paths ?? {}) as Record<string, JsonObject>;

  for (const [resource, pathItem] of Object.entries(paths)) {
    const pathParameters = (pathItem.parameters as Parameter[] | undefined) ?? [];
    for (const method of METHODS) {
      const operation = pathItem[method] as JsonObject | undefined;
      if (!operation) {
        continue;
      }
      const integration = operation['x-amazon-apigateway-integration'] as Integration | undefined;
      if (!integration) {
        throw new LocalTemplateError(
          `${method.toUpperCase()} ${resource} in REST API ${logicalId} has no x-amazon-apigateway-integration; API Gateway rejects such a definition at deploy time.`,
        );
      }
      const validatorName =
        (operation['x-amazon-apigateway-request-validator'] as string | undefined) ?? defaultValidatorName;
      const validator = validatorName ? validators[validatorName] : undefined;
      const requestBody = resolveRef(document, operation.requestBody) as
        | { content?: Record<string, { schema?: unknown }>; required?: boolean }
        | undefined;
      const parameters = [
        ...pathParameters,
        ...((operation.parameters as Parameter[] | undefined) ?? []),
      ].map((parameter) => resolveRef(document, parameter) as Parameter);
      operations.push({
        method: method === 'x-amazon-apigateway-any-method' ? 'ANY' : method.toUpperCase(),
        resource,
        operationId: operation.operationId as string | undefined,
        integration,
        parameters,
        requestBodies: Object.fromEntries(
          Object.entries(requestBody?.content ?? {}).map(([mediaType, content]) => [
            mediaType,
            content.schema,
          ]),
        ),
        bodyRequired: requestBody?.required === true,
        validator: {
          body: validator?.validateRequestBody === true,
          parameters: validator?.validateRequestParameters === true,
        },
        authorizer: authorizerOf(operation, securitySchemes),
      });
    }
  }

  return {
    logicalId,
    apiId,
    stageName,
    document,
    operations,
    binaryMediaTypes: [
      ...((document['x-amazon-apigateway-binary-media-types'] as string[] | undefined) ?? []),
      ...extraBinaryMediaTypes,
    ],
    gatewayResponses: (document['x-amazon-apigateway-gateway-responses'] ?? {}) as Record<
      string,
      GatewayResponse
    >,
    minimumCompressionSize: document['x-amazon-apigateway-minimum-compression-size'] as number | undefined,
  };
}

// Only per-operation security counts: API Gateway ignores the root-level `security` of an import.
function authorizerOf(
  operation: JsonObject,
  securitySchemes: Record<string, JsonObject>,
): Authorizer | undefined {
  const security = (operation.security as Array<Record<string, unknown>> | undefined) ?? [];
  for (const requirement of security) {
    for (const name of Object.keys(requirement)) {
      const scheme = securitySchemes[name];
      const authorizer = scheme?.['x-amazon-apigateway-authorizer'] as JsonObject | undefined;
      if (!scheme || !authorizer) {
        continue;
      }
      const identitySource = String(authorizer.identitySource ?? scheme.name ?? '');
      return {
        name,
        type: String(authorizer.type ?? 'token').toLowerCase(),
        uri: String(authorizer.authorizerUri),
        identitySources: identitySource
          .split(',')
          .map((source) => source.trim())
          .filter((source) => source.length > 0),
        resultTtlSeconds: Number(authorizer.authorizerResultTtlInSeconds ?? 300),
      };
    }
  }
  return undefined;
}

/** Follows a local `$ref` (`#/components/...`) once; other values are returned unchanged. */
export function resolveRef(document: JsonObject, value: unknown): unknown {
  let current = value;
  for (let depth = 0; depth < 10; depth += 1) {
    const ref = (current as { $ref?: unknown } | undefined)?.$ref;
    if (typeof ref !== 'string' || !ref.startsWith('#/')) {
      return current;
    }
    current = ref
      .slice(2)
      .split('/')
      .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, segment) => (node as JsonObject | undefined)?.[segment], document);
  }
  return current;
}

/** The function ARN inside a Lambda integration URI (`arn:aws:apigateway:...:lambda:path/2015-03-31/functions/ARN/invocations`). */
export function functionArnOfUri(uri: string): string | undefined {
  return /\/functions\/(.+)\/invocations$/.exec(uri)?.[1];
}

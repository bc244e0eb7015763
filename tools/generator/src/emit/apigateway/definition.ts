// The API Gateway REST import definition: an OpenAPI 3.0.3 document with draft-4 models, a Lambda REQUEST
// authorizer, aws_proxy integrations, request validators, gateway responses and CORS preflight methods
// (API Gateway developer guide, "OpenAPI extensions to API Gateway").

import type { OperationModel } from '../../model/operations.js';
import type { PreparedContract } from '../../prepare.js';
import { ContractRuleError } from '../../util/errors.js';
import { GENERATED_NOTICE, JSON_NOTICE_KEY } from '../../util/header.js';
import { isObject, type JsonObject, type JsonValue, pointer, resolvePointer } from '../../util/json.js';
import { forEachSchema, schemaRefName } from '../../util/schema-walk.js';
import { isJsonMediaType } from '../validators/schema-set.js';
import { lowerToDraft4 } from './draft4-model.js';
import { gatewayResponses } from './gateway-responses.js';
import { checkGatewayPaths } from './path-rules.js';
import { GatewayReport } from './report.js';

export const AUTHORIZER_NAME = 'katappAuthorizer';
/** Placeholder the infra replaces with a function's integration URI (`arn:aws:apigateway:...:lambda:path/...`). */
export const functionUri = (name: string): string => `\${KatAppFunctionUri:${name}}`;

const VALIDATE_ALL = 'body-and-parameters';
const VALIDATE_PARAMETERS = 'parameters';
const BINARY_MEDIA = /^(image\/|audio\/|video\/|application\/(octet-stream|pdf|zip))/;

export interface GatewayDefinition {
  document: JsonObject;
  report: GatewayReport;
}

function pascal(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function simpleParameterSchema(operation: OperationModel, index: number): JsonObject {
  const parameter = operation.parameters[index];
  if (parameter === undefined) return {};
  if (parameter.type === 'array') return { type: 'array', items: { type: parameter.itemType ?? 'string' } };
  return { type: parameter.type };
}

export function buildGatewayDefinition(
  prepared: PreparedContract,
  operations: OperationModel[],
  options: { problemCodes?: string[] } = {},
): GatewayDefinition {
  const report = new GatewayReport();
  const views = prepared.views;
  const components = resolvePointer(views, '/components/schemas');
  const componentSchemas = isObject(components) ? components : {};
  checkGatewayPaths([...new Set(operations.map((operation) => operation.path))]);

  const modelNames = new Map<string, string>();
  const takenModelNames = new Map<string, string>();
  const modelName = (component: string): string => {
    const known = modelNames.get(component);
    if (known !== undefined) return known;
    const name = component.replace(/[^A-Za-z0-9]/g, '');
    const other = takenModelNames.get(name);
    if (name === '' || (other !== undefined && other !== component)) {
      throw new ContractRuleError(
        pointer('components', 'schemas', component),
        `the gateway model name "${name}" (alphanumerics only) is empty or also used by ${other}; rename the schema.`,
      );
    }
    modelNames.set(component, name);
    takenModelNames.set(name, component);
    return name;
  };
  const sourcePointer = (location: string): string => {
    const match = /^\/components\/schemas\/([^/]+)(.*)$/.exec(location);
    if (match === null) return location;
    const name = match[1] ?? '';
    return `/components/schemas/${prepared.writeViews.get(name) ?? name}${match[2] ?? ''}`;
  };

  const models: JsonObject = {};
  const pending: string[] = [];
  const addModel = (name: string, schema: JsonValue, location: string) => {
    const lowered = lowerToDraft4(schema, location, {
      report,
      model: name,
      modelName,
      sourcePointer,
      components: componentSchemas,
    });
    models[name] = lowered;
    forEachSchema(lowered, '', (node) => {
      const target =
        typeof node.$ref === 'string' ? node.$ref.slice('#/components/schemas/'.length) : undefined;
      if (target !== undefined && !(target in models)) pending.push(target);
    });
  };
  /** Returns the model for a media schema: the component's model when the schema is a bare $ref. */
  const modelFor = (schema: JsonValue, fallbackName: string, location: string): string => {
    const component =
      isObject(schema) && Object.keys(schema).length === 1 ? schemaRefName(schema.$ref) : undefined;
    if (component !== undefined) {
      const name = modelName(component);
      if (!(name in models)) pending.push(name);
      return name;
    }
    if (takenModelNames.has(fallbackName) || fallbackName in models) {
      throw new ContractRuleError(
        location,
        `gateway model name ${fallbackName} is also a schema name; rename the schema.`,
      );
    }
    addModel(fallbackName, schema, location);
    return fallbackName;
  };

  const responseModels: { content: JsonObject; mediaType: string; model: string; location: string }[] = [];
  const headerNames = new Set(['Authorization', 'Content-Type']);
  const binaryTypes = new Set<string>();
  const paths: JsonObject = {};
  for (const operation of operations) {
    const item = (paths[operation.path] ?? {}) as JsonObject;
    paths[operation.path] = item;
    const parameters = operation.parameters
      .filter((parameter) => parameter.in !== 'cookie')
      .map((parameter) => {
        if (parameter.in === 'header') headerNames.add(parameter.name);
        return {
          name: parameter.name,
          in: parameter.in,
          required: parameter.required,
          schema: simpleParameterSchema(operation, operation.parameters.indexOf(parameter)),
        };
      });
    const gatewayOperation: JsonObject = { operationId: operation.operationId };
    if (operation.summary !== undefined) gatewayOperation.summary = operation.summary;
    if (parameters.length > 0) gatewayOperation.parameters = parameters;

    let validator = VALIDATE_PARAMETERS;
    if (operation.requestBody !== null) {
      const content: JsonObject = {};
      for (const media of operation.requestBody.content) {
        if (BINARY_MEDIA.test(media.contentType)) binaryTypes.add(media.contentType);
        if (isJsonMediaType(media.contentType) && media.schema !== undefined) {
          const name = modelFor(
            media.schema,
            `${pascal(operation.operationId)}Request`,
            `${media.location}/schema`,
          );
          content[media.contentType] = { schema: { $ref: `#/components/schemas/${name}` } };
          validator = VALIDATE_ALL;
        } else {
          content[media.contentType] = {};
        }
      }
      gatewayOperation.requestBody = { required: operation.requestBody.required, content };
    }

    const responses: JsonObject = {};
    for (const response of operation.responses) {
      const gatewayResponse: JsonObject = {
        description: response.description || `Status ${response.status}`,
      };
      const content: JsonObject = {};
      for (const media of response.content) {
        if (BINARY_MEDIA.test(media.contentType)) binaryTypes.add(media.contentType);
        if (!isJsonMediaType(media.contentType) || media.schema === undefined) {
          content[media.contentType] = {};
          continue;
        }
        const suffix = pascal(response.status.toLowerCase());
        const name = modelFor(
          media.schema,
          `${pascal(operation.operationId)}Response${suffix}`,
          `${media.location}/schema`,
        );
        content[media.contentType] = { schema: { $ref: `#/components/schemas/${name}` } };
        responseModels.push({ content, mediaType: media.contentType, model: name, location: media.location });
      }
      if (Object.keys(content).length > 0) gatewayResponse.content = content;
      responses[response.status] = gatewayResponse;
    }
    gatewayOperation.responses = responses;
    if (operation.authenticated) gatewayOperation.security = [{ [AUTHORIZER_NAME]: [] }];
    gatewayOperation['x-amazon-apigateway-request-validator'] = validator;
    gatewayOperation['x-amazon-apigateway-integration'] = {
      type: 'aws_proxy',
      // Lambda proxy integrations are always invoked with POST, whatever the method of the operation.
      httpMethod: 'POST',
      uri: functionUri(operation.functionName),
      passthroughBehavior: 'when_no_match',
      timeoutInMillis: 29000,
    };
    gatewayOperation['x-katapp-function'] = operation.functionName;
    gatewayOperation['x-katapp-rights'] = operation.rights;
    item[operation.method] = gatewayOperation;
  }

  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (name in models) continue;
    const component = takenModelNames.get(name) ?? name;
    const schema = componentSchemas[component];
    if (schema === undefined)
      throw new ContractRuleError(`/components/schemas/${component}`, 'referenced schema is missing.');
    addModel(name, schema as JsonValue, pointer('components', 'schemas', component));
  }

  // Method response models must be objects; a response whose model is not is documented without a schema.
  for (const { content, mediaType, model, location } of responseModels) {
    const lowered = models[model];
    if (isObject(lowered) && lowered.type === 'object') continue;
    content[mediaType] = {};
    report.add({
      kind: 'not-enforced',
      pointer: `${location}/schema`,
      keyword: 'schema',
      model,
      detail: 'response schema omitted: API Gateway method response models must be objects',
    });
  }

  const corsHeaders = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Headers': [...headerNames].sort().join(','),
  };
  for (const item of Object.values(paths)) {
    const methods = Object.keys(item as JsonObject).map((method) => method.toUpperCase());
    (item as JsonObject).options = {
      summary: 'CORS preflight',
      responses: {
        '204': {
          description: 'CORS preflight response',
          headers: Object.fromEntries(
            [
              'Access-Control-Allow-Origin',
              'Access-Control-Allow-Methods',
              'Access-Control-Allow-Headers',
              'Access-Control-Max-Age',
            ].map((name) => [name, { schema: { type: 'string' } }]),
          ),
        },
      },
      'x-amazon-apigateway-integration': {
        type: 'mock',
        requestTemplates: { 'application/json': '{"statusCode": 204}' },
        passthroughBehavior: 'when_no_match',
        responses: {
          default: {
            statusCode: '204',
            responseParameters: {
              'method.response.header.Access-Control-Allow-Origin': `'${corsHeaders['Access-Control-Allow-Origin']}'`,
              'method.response.header.Access-Control-Allow-Methods': `'${[...methods, 'OPTIONS'].sort().join(',')}'`,
              'method.response.header.Access-Control-Allow-Headers': `'${corsHeaders['Access-Control-Allow-Headers']}'`,
              'method.response.header.Access-Control-Max-Age': "'600'",
            },
          },
        },
      },
    };
  }

  const sortedModels: JsonObject = {};
  for (const name of Object.keys(models).sort()) sortedModels[name] = models[name] as JsonValue;
  const info = isObject(views.info) ? views.info : {};
  const document: JsonObject = {
    [JSON_NOTICE_KEY]: GENERATED_NOTICE,
    openapi: '3.0.3',
    info: { title: String(info.title ?? 'API'), version: String(info.version ?? '0') },
    paths,
    components: {
      schemas: sortedModels,
      securitySchemes: {
        [AUTHORIZER_NAME]: {
          type: 'apiKey',
          name: 'Authorization',
          in: 'header',
          'x-amazon-apigateway-authtype': 'custom',
          'x-amazon-apigateway-authorizer': {
            type: 'request',
            identitySource: 'method.request.header.Authorization',
            authorizerUri: functionUri('authorizer'),
            authorizerResultTtlInSeconds: 300,
          },
        },
      },
    },
    'x-amazon-apigateway-request-validators': {
      [VALIDATE_ALL]: { validateRequestBody: true, validateRequestParameters: true },
      [VALIDATE_PARAMETERS]: { validateRequestBody: false, validateRequestParameters: true },
    },
    'x-amazon-apigateway-gateway-responses': gatewayResponses(corsHeaders, options.problemCodes),
  };
  if (binaryTypes.size > 0) document['x-amazon-apigateway-binary-media-types'] = [...binaryTypes].sort();
  return { document, report };
}

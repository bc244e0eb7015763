// OpenAPI 3.1 Path Item, Operation, Parameter and Request Body Objects: the flat list of operations
// every emitter works from, with references resolved, parameters merged and the KatApp rules checked.

import { HTTP_METHODS, type HttpMethod } from '../util/document-schemas.js';
import { ContractRuleError } from '../util/errors.js';
import { isObject, type JsonObject, type JsonValue, pointer, resolvePointer } from '../util/json.js';
import { schemaRefName } from '../util/schema-walk.js';

export type ParameterLocation = 'path' | 'query' | 'header' | 'cookie';
export type ParameterType = 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';

export interface ParameterModel {
  name: string;
  in: ParameterLocation;
  required: boolean;
  style: string;
  explode: boolean;
  type: ParameterType;
  itemType?: ParameterType;
  schema: JsonValue;
  /** JSON Pointer of the Parameter Object in the document. */
  location: string;
  example?: JsonValue;
  examples: { name: string; value: JsonValue }[];
}

export interface MediaModel {
  contentType: string;
  schema: JsonValue | undefined;
  examples: { name: string; value: JsonValue }[];
  /** JSON Pointer of the Media Type Object. */
  location: string;
}

export interface ResponseModel {
  status: string;
  description: string;
  content: MediaModel[];
  headers: { name: string; required: boolean; schema: JsonValue | undefined }[];
}

export interface OperationModel {
  operationId: string;
  method: HttpMethod;
  path: string;
  /** The operation's single tag: the Lambda function group that implements it. */
  functionName: string;
  rights: string[];
  authenticated: boolean;
  /** Names of the security schemes the operation accepts (empty when public). */
  securitySchemes: string[];
  parameters: ParameterModel[];
  requestBody: { required: boolean; content: MediaModel[] } | null;
  responses: ResponseModel[];
  successStatus: number;
  location: string;
  summary?: string;
  extensions: JsonObject;
}

const DEFAULT_STYLE: Record<ParameterLocation, string> = {
  path: 'simple',
  query: 'form',
  header: 'simple',
  cookie: 'form',
};

/** Follows `$ref` chains to components (parameters, responses, request bodies, headers, schemas). */
export function deref(
  document: JsonObject,
  value: JsonValue | undefined,
  seen = new Set<string>(),
): JsonValue | undefined {
  if (!isObject(value) || typeof value.$ref !== 'string') return value;
  const ref = value.$ref;
  if (!ref.startsWith('#')) throw new ContractRuleError(ref, 'external references must be bundled first.');
  if (seen.has(ref)) throw new ContractRuleError(ref, 'the reference chain loops back to itself.');
  seen.add(ref);
  const target = resolvePointer(document, ref.slice(1)) as JsonValue | undefined;
  if (target === undefined) throw new ContractRuleError(ref, 'the reference does not resolve.');
  return deref(document, target, seen);
}

/** Returns the JSON type of a parameter schema, looking through `$ref`, nullable type arrays and enums. */
export function schemaType(document: JsonObject, schema: JsonValue | undefined): ParameterType {
  const resolved =
    isObject(schema) && schemaRefName(schema.$ref) !== undefined ? deref(document, schema) : schema;
  if (!isObject(resolved)) return 'string';
  const type = resolved.type;
  const candidates = Array.isArray(type) ? type.filter((entry) => entry !== 'null') : [type];
  const first = candidates[0];
  if (
    typeof first === 'string' &&
    ['string', 'integer', 'number', 'boolean', 'array', 'object'].includes(first)
  ) {
    return first as ParameterType;
  }
  if (
    Array.isArray(resolved.enum) &&
    resolved.enum.every((value) => typeof value === 'string' || value === null)
  ) {
    return 'string';
  }
  return 'string';
}

function namedExamples(document: JsonObject, holder: JsonObject): { name: string; value: JsonValue }[] {
  const list: { name: string; value: JsonValue }[] = [];
  if (holder.example !== undefined) list.push({ name: 'example', value: holder.example });
  if (isObject(holder.examples)) {
    for (const [name, entry] of Object.entries(holder.examples)) {
      const example = deref(document, entry);
      if (isObject(example) && example.value !== undefined) list.push({ name, value: example.value });
    }
  }
  return list;
}

function mediaList(document: JsonObject, content: JsonValue | undefined, location: string): MediaModel[] {
  if (!isObject(content)) return [];
  return Object.entries(content).map(([contentType, media]) => {
    const object = isObject(media) ? media : {};
    return {
      contentType,
      schema: object.schema,
      examples: namedExamples(document, object),
      location: `${location}${pointer(contentType)}`,
    };
  });
}

function parameterModel(document: JsonObject, raw: JsonValue, location: string): ParameterModel {
  const parameter = deref(document, raw);
  if (!isObject(parameter) || typeof parameter.name !== 'string' || typeof parameter.in !== 'string') {
    throw new ContractRuleError(location, 'a parameter needs "name" and "in".');
  }
  const where = parameter.in as ParameterLocation;
  if (!['path', 'query', 'header', 'cookie'].includes(where)) {
    throw new ContractRuleError(location, `unknown parameter location "${parameter.in}".`);
  }

  const style = typeof parameter.style === 'string' ? parameter.style : DEFAULT_STYLE[where];
  const explode = typeof parameter.explode === 'boolean' ? parameter.explode : style === 'form';
  const schema = parameter.schema;
  if (schema === undefined) {
    throw new ContractRuleError(
      location,
      `parameter "${parameter.name}" needs a "schema" ("content" is not supported).`,
    );
  }

  const type = schemaType(document, schema);
  const model: ParameterModel = {
    name: parameter.name,
    in: where,
    required: where === 'path' ? true : parameter.required === true,
    style,
    explode,
    type,
    schema,
    location,
    examples: namedExamples(document, parameter),
  };
  if (type === 'array') {
    const resolved = deref(document, schema);
    model.itemType = schemaType(document, isObject(resolved) ? resolved.items : undefined);
  }
  if (parameter.example !== undefined) model.example = parameter.example;

  const supported =
    (where === 'path' && style === 'simple') ||
    (where === 'header' && style === 'simple') ||
    (where === 'query' && ['form', 'pipeDelimited', 'spaceDelimited'].includes(style) && type !== 'object') ||
    (where === 'query' && style === 'deepObject' && type === 'object') ||
    where === 'cookie';
  if (!supported) {
    throw new ContractRuleError(
      location,
      `style "${style}" for a ${type} ${where} parameter is not supported; use simple (path, header), ` +
        'form/pipeDelimited/spaceDelimited (query scalars and arrays) or deepObject (query objects).',
    );
  }
  return model;
}

function securityOf(document: JsonObject, operation: JsonObject, location: string): string[] {
  const requirements = operation.security ?? document.security ?? [];
  if (!Array.isArray(requirements))
    throw new ContractRuleError(`${location}/security`, 'security must be an array.');
  // An empty requirement object makes authentication optional, which the authorizer cannot express.
  if (requirements.some((requirement) => isObject(requirement) && Object.keys(requirement).length === 0)) {
    if (requirements.length > 1) {
      throw new ContractRuleError(
        `${location}/security`,
        'optional authentication ({} next to a scheme) is not supported: make the operation public or require a scheme.',
      );
    }
    return [];
  }
  return requirements.flatMap((requirement) => (isObject(requirement) ? Object.keys(requirement) : []));
}

function successStatusOf(responses: ResponseModel[], location: string): number {
  const success = responses
    .map((response) => response.status)
    .filter((status) => /^2\d\d$/.test(status))
    .map(Number)
    .sort((a, b) => a - b);
  const first = success[0];
  if (first === undefined)
    throw new ContractRuleError(`${location}/responses`, 'declare at least one 2xx response.');
  return first;
}

/** Every operation of the document, in path order then method order. */
export function collectOperations(document: JsonObject, knownRights?: readonly string[]): OperationModel[] {
  const paths = isObject(document.paths) ? document.paths : {};
  const operations: OperationModel[] = [];
  const seenIds = new Map<string, string>();
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(document, rawItem);
    if (!isObject(item)) continue;
    const itemParameters = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!isObject(operation)) continue;
      const location = pointer('paths', path, method);
      const operationId = operation.operationId;
      if (typeof operationId !== 'string' || !/^[A-Za-z][A-Za-z0-9]*$/.test(operationId)) {
        throw new ContractRuleError(
          location,
          `operationId must be alphanumeric and start with a letter, got ${JSON.stringify(operationId)}.`,
        );
      }
      const duplicate = seenIds.get(operationId);
      if (duplicate !== undefined)
        throw new ContractRuleError(location, `operationId "${operationId}" is also used at ${duplicate}.`);
      seenIds.set(operationId, location);

      const tags = Array.isArray(operation.tags) ? operation.tags : [];
      const functionName = tags[0];
      if (
        tags.length !== 1 ||
        typeof functionName !== 'string' ||
        !/^[a-z][a-zA-Z0-9]*$/.test(functionName)
      ) {
        throw new ContractRuleError(
          `${location}/tags`,
          `an operation needs exactly one lower-camel-case tag naming its Lambda function, got ${JSON.stringify(tags)}.`,
        );
      }

      const merged = new Map<string, ParameterModel>();
      itemParameters.forEach((raw, index) => {
        const model = parameterModel(document, raw, `${pointer('paths', path, 'parameters')}/${index}`);
        merged.set(`${model.in}:${model.name.toLowerCase()}`, model);
      });
      (Array.isArray(operation.parameters) ? operation.parameters : []).forEach((raw, index) => {
        const model = parameterModel(document, raw, `${location}/parameters/${index}`);
        merged.set(`${model.in}:${model.name.toLowerCase()}`, model);
      });
      const parameters = [...merged.values()];
      const templateNames = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1] ?? '');
      for (const name of templateNames) {
        if (!parameters.some((parameter) => parameter.in === 'path' && parameter.name === name)) {
          throw new ContractRuleError(location, `path template variable {${name}} has no path parameter.`);
        }
      }
      for (const parameter of parameters) {
        if (parameter.in === 'path' && !templateNames.includes(parameter.name)) {
          throw new ContractRuleError(
            parameter.location,
            `path parameter "${parameter.name}" is not in the path ${path}.`,
          );
        }
      }

      const body = deref(document, operation.requestBody);
      const requestBody = isObject(body)
        ? {
            required: body.required === true,
            content: mediaList(document, body.content, `${location}/requestBody/content`),
          }
        : null;

      const responses: ResponseModel[] = [];
      for (const [status, rawResponse] of Object.entries(
        isObject(operation.responses) ? operation.responses : {},
      )) {
        const response = deref(document, rawResponse);
        if (!isObject(response)) continue;
        const headers = Object.entries(isObject(response.headers) ? response.headers : {}).map(
          ([name, raw]) => {
            const header = deref(document, raw);
            return {
              name,
              required: isObject(header) && header.required === true,
              schema: isObject(header) ? header.schema : undefined,
            };
          },
        );
        responses.push({
          status,
          description: typeof response.description === 'string' ? response.description : '',
          content: mediaList(
            document,
            response.content,
            `${location}${pointer('responses', status, 'content')}`,
          ),
          headers,
        });
      }

      const securitySchemes = securityOf(document, operation, location);
      const authenticated = securitySchemes.length > 0;
      const rawRights = operation['x-katapp-rights'];
      if (
        rawRights !== undefined &&
        !(Array.isArray(rawRights) && rawRights.every((r) => typeof r === 'string'))
      ) {
        throw new ContractRuleError(
          `${location}/x-katapp-rights`,
          'x-katapp-rights must be an array of right names.',
        );
      }
      const rights = (rawRights ?? []) as string[];
      if (authenticated && rawRights === undefined) {
        throw new ContractRuleError(
          location,
          'an authenticated operation needs x-katapp-rights (use [] when every signed-in caller may call it).',
        );
      }
      if (!authenticated && rights.length > 0) {
        throw new ContractRuleError(
          `${location}/x-katapp-rights`,
          'a public operation (security: []) cannot require rights.',
        );
      }
      if (knownRights !== undefined) {
        for (const right of rights) {
          if (!knownRights.includes(right)) {
            throw new ContractRuleError(
              `${location}/x-katapp-rights`,
              `unknown right "${right}"; add it to the Right schema enum or fix the spelling.`,
            );
          }
        }
      }
      const extensions: JsonObject = {};
      for (const [key, value] of Object.entries(operation)) if (key.startsWith('x-')) extensions[key] = value;

      const model: OperationModel = {
        operationId,
        method,
        path,
        functionName,
        rights,
        authenticated,
        securitySchemes,
        parameters,
        requestBody,
        responses,
        successStatus: successStatusOf(responses, location),
        location,
        extensions,
      };
      if (typeof operation.summary === 'string') model.summary = operation.summary;
      operations.push(model);
    }
  }
  return operations;
}

/** Returns the string values of a component schema's enum (such as `Right`), or undefined without that schema. */
export function enumValues(document: JsonObject, schemaName: string): string[] | undefined {
  const location = pointer('components', 'schemas', schemaName);
  const schema = deref(document, resolvePointer(document, location) as JsonValue | undefined);
  if (!isObject(schema) || !Array.isArray(schema.enum)) return undefined;
  return schema.enum.filter((value): value is string => typeof value === 'string');
}

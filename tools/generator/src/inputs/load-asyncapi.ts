// AsyncAPI 3.0 Operation, Message, Channel and Multi Format Schema Objects: the WebSocket messages and the
// schemas they use. A schema that the OpenAPI bundle contains under the same name with the same content is that
// OpenAPI schema. The AsyncAPI document's own schemas join the OpenAPI components, so REST and WebSocket share one
// type and one validator per schema.

import { isDeepStrictEqual } from 'node:util';
import { bundle, createConfig } from '@redocly/openapi-core';
import { ownTagValues } from '../transforms/discriminator-mapping.js';
import { ContractRuleError, GeneratorError } from '../util/errors.js';
import { clone, isObject, type JsonObject, type JsonValue, resolvePointer } from '../util/json.js';
import { mapSchema, schemaRef, schemaRefName } from '../util/schema-walk.js';

export interface MessageModel {
  name: string;
  /** `client`: the client sends it (an AsyncAPI `receive` operation); `server`: the server sends it. */
  direction: 'client' | 'server';
  /** The component schema of the payload. */
  schemaName: string;
  /** Client messages: the route key (the payload's value for the route selection property). */
  routeKey?: string;
  /** Server messages: the payload's `type` literal. */
  type?: string;
  /** Rights from the operation's `x-katapp-rights`. */
  rights: string[];
  examples: { name: string; value: JsonValue }[];
  location: string;
}

export interface AsyncApiModel {
  document: JsonObject;
  routeSelectionExpression: string;
  /** Schemas the AsyncAPI document defines itself (unwrapped from Multi Format Schema Objects). */
  schemas: JsonObject;
  messages: MessageModel[];
  files: string[];
}

const DEFAULT_ROUTE_SELECTION = '$request.body.action';
/** Schema formats read as JSON Schema; everything else is rejected. */
const JSON_SCHEMA_FORMAT =
  /^application\/(schema\+json|schema\+yaml|vnd\.aai\.asyncapi(\+json|\+yaml)?)(;version=.*)?$/;

function derefAsync(
  document: JsonObject,
  value: JsonValue | undefined,
): { value: JsonValue | undefined; location?: string } {
  let current = value;
  let location: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#') || seen.has(ref))
      throw new ContractRuleError(ref, 'the reference cannot be resolved.');
    seen.add(ref);
    location = ref.slice(1);
    current = resolvePointer(document, location) as JsonValue | undefined;
  }
  return location === undefined ? { value: current } : { value: current, location };
}

function singleLiteral(values: JsonValue[] | undefined): string | undefined {
  return values !== undefined && values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

/** Unwraps a Multi Format Schema Object after checking it is JSON Schema; returns other schemas unchanged. */
function unwrapSchema(value: JsonValue, location: string): JsonValue {
  if (!isObject(value) || typeof value.schemaFormat !== 'string' || !('schema' in value)) return value;
  if (!JSON_SCHEMA_FORMAT.test(value.schemaFormat)) {
    throw new ContractRuleError(
      location,
      `schemaFormat "${value.schemaFormat}" is not supported; use JSON Schema.`,
    );
  }
  return value.schema as JsonValue;
}

/** Rewrites `#/components/schemas/X/schema/...` (into a wrapper) to `#/components/schemas/X/...`. */
function rewriteWrapperRefs(schema: JsonValue, wrapped: Set<string>): JsonValue {
  return mapSchema(schema, '', (node) => {
    if (typeof node.$ref !== 'string') return node;
    const match = /^#\/components\/schemas\/([^/]+)(\/schema)?(\/.*)?$/.exec(node.$ref);
    if (match === null) return node;
    const name = match[1] ?? '';
    if (wrapped.has(decodeURIComponent(name)) && match[2] === '/schema') {
      return { ...node, $ref: `#/components/schemas/${name}${match[3] ?? ''}` };
    }
    return node;
  });
}

/** Content equality that ignores discriminator mappings, which bundlers write relative to different files. */
function sameSchema(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  const normalize = (value: JsonValue | undefined) =>
    value === undefined
      ? undefined
      : mapSchema(clone(value), '', (node) => {
          if (!isObject(node.discriminator)) return node;
          const { mapping: _mapping, ...discriminator } = node.discriminator;
          return { ...node, discriminator };
        });
  return isDeepStrictEqual(normalize(left), normalize(right));
}

/**
 * Loads and bundles the AsyncAPI document. `openapiSource` is the bundled OpenAPI document; the returned schemas
 * hold only what OpenAPI does not define, with references that resolve in OpenAPI's components plus these.
 */
export async function loadAsyncApi(path: string, openapiSource: JsonObject): Promise<AsyncApiModel> {
  const config = await createConfig({});
  const result = await bundle({ ref: path, config, dereference: false, removeUnusedComponents: false });
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new GeneratorError(
      `Bundling ${path} failed:\n${errors.map((problem) => `- ${problem.message}`).join('\n')}`,
    );
  }
  const document = result.bundle.parsed as JsonObject;
  if (typeof document.asyncapi !== 'string' || !document.asyncapi.startsWith('3.')) {
    throw new ContractRuleError(
      `${path}#/asyncapi`,
      `expected an AsyncAPI 3.x document, got ${JSON.stringify(document.asyncapi)}.`,
    );
  }
  const openapiSchemas = resolvePointer(openapiSource, '/components/schemas');
  const shared = isObject(openapiSchemas) ? openapiSchemas : {};
  const rawSchemas = resolvePointer(document, '/components/schemas');
  const wrapped = new Set<string>();
  const own: JsonObject = {};
  for (const [name, raw] of Object.entries(isObject(rawSchemas) ? rawSchemas : {})) {
    if (isObject(raw) && typeof raw.schemaFormat === 'string') wrapped.add(name);
  }
  for (const [name, raw] of Object.entries(isObject(rawSchemas) ? rawSchemas : {})) {
    const schema = rewriteWrapperRefs(
      unwrapSchema(raw as JsonValue, `${path}#/components/schemas/${name}`),
      wrapped,
    );
    if (name in shared) {
      if (sameSchema(schema, shared[name])) continue;
      throw new ContractRuleError(
        `${path}#/components/schemas/${name}`,
        `the schema "${name}" differs from the OpenAPI schema of the same name; rename one of them.`,
      );
    }
    own[name] = schema;
  }
  // The merged view in which message payloads and route keys are resolved.
  const merged: JsonObject = { ...openapiSource, components: { schemas: { ...shared, ...own } } };

  const expression =
    typeof document['x-katapp-route-selection-expression'] === 'string'
      ? document['x-katapp-route-selection-expression']
      : DEFAULT_ROUTE_SELECTION;
  const selectionMatch = /^\$request\.body\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
  if (selectionMatch?.[1] === undefined) {
    throw new ContractRuleError(
      `${path}#/x-katapp-route-selection-expression`,
      `unsupported expression "${expression}"; use $request.body.<property>.`,
    );
  }
  const routeProperty = selectionMatch[1];

  const messages = new Map<string, MessageModel>();
  const operations = isObject(document.operations) ? document.operations : {};
  for (const [operationName, rawOperation] of Object.entries(operations)) {
    const operation = derefAsync(document, rawOperation).value;
    if (!isObject(operation)) continue;
    const at = `${path}#/operations/${operationName}`;
    if (operation.action !== 'send' && operation.action !== 'receive') {
      throw new ContractRuleError(
        at,
        `action must be "send" or "receive", got ${JSON.stringify(operation.action)}.`,
      );
    }
    const rights = Array.isArray(operation['x-katapp-rights'])
      ? operation['x-katapp-rights'].map(String)
      : [];
    // A reply travels the other way: the responses to a received message are sent by the server.
    const reply = derefAsync(document, operation.reply).value;
    const replyMessages = isObject(reply) && Array.isArray(reply.messages) ? reply.messages : [];
    const entries: { ref: JsonValue; direction: 'client' | 'server'; rights: string[] }[] = [
      ...(Array.isArray(operation.messages) ? operation.messages : []).map((ref) => ({
        ref,
        direction: operation.action === 'receive' ? ('client' as const) : ('server' as const),
        rights,
      })),
      ...replyMessages.map((ref) => ({
        ref,
        direction: operation.action === 'receive' ? ('server' as const) : ('client' as const),
        rights: [],
      })),
    ];
    for (const { ref, direction, rights } of entries) {
      const { value: message, location } = derefAsync(document, ref);
      if (!isObject(message) || location === undefined) continue;
      const name = typeof message.name === 'string' ? message.name : (location.split('/').pop() ?? 'message');
      const messageLocation = `${path}#${location}`;
      let payload = derefAsync(document, message.payload).value;
      let schemaName = isObject(message.payload) ? schemaRefName(message.payload.$ref) : undefined;
      if (schemaName === undefined) {
        // An inline payload becomes a component of its own, named after the message.
        schemaName = `${name.replace(/[^A-Za-z0-9]+(.)?/g, (_match, next: string | undefined) => (next ?? '').toUpperCase()).replace(/^./, (first) => first.toUpperCase())}Payload`;
        if (payload === undefined)
          throw new ContractRuleError(messageLocation, `message "${name}" has no payload.`);
        payload = rewriteWrapperRefs(unwrapSchema(payload, `${messageLocation}/payload`), wrapped);
        if (schemaName in shared || schemaName in own)
          throw new ContractRuleError(messageLocation, `schema name ${schemaName} is taken.`);
        own[schemaName] = payload;
        (merged.components as JsonObject).schemas = { ...shared, ...own };
      }
      const payloadSchema = { $ref: schemaRef(schemaName) };
      const examples = (Array.isArray(message.examples) ? message.examples : []).flatMap((example, index) =>
        isObject(example) && example.payload !== undefined
          ? [
              {
                name: typeof example.name === 'string' ? example.name : `example${index + 1}`,
                value: example.payload,
              },
            ]
          : [],
      );
      const model: MessageModel = {
        name,
        direction,
        schemaName,
        rights,
        examples,
        location: messageLocation,
      };
      if (direction === 'client') {
        const routeKey = singleLiteral(ownTagValues(merged, payloadSchema, routeProperty));
        if (routeKey === undefined) {
          throw new ContractRuleError(
            messageLocation,
            `client message "${name}" needs a single const value for "${routeProperty}" (its route key).`,
          );
        }
        model.routeKey = routeKey;
      } else {
        const type = singleLiteral(ownTagValues(merged, payloadSchema, 'type'));
        if (type === undefined) {
          throw new ContractRuleError(
            messageLocation,
            `server message "${name}" needs a single const value for "type".`,
          );
        }
        model.type = type;
      }
      const previous = messages.get(name);
      if (previous !== undefined && previous.direction !== direction) {
        throw new ContractRuleError(
          messageLocation,
          `message "${name}" is both sent and received; split it in two messages.`,
        );
      }
      if (previous !== undefined) model.rights = [...new Set([...previous.rights, ...rights])];
      messages.set(name, model);
    }
  }

  const list = [...messages.values()];
  const routeKeys = new Map<string, string>();
  for (const message of list) {
    if (message.routeKey === undefined) continue;
    if (message.routeKey.startsWith('$')) {
      throw new ContractRuleError(
        message.location,
        `route key "${message.routeKey}" is reserved for API Gateway.`,
      );
    }
    const other = routeKeys.get(message.routeKey);
    if (other !== undefined) {
      throw new ContractRuleError(
        message.location,
        `route key "${message.routeKey}" is also used by message "${other}".`,
      );
    }
    routeKeys.set(message.routeKey, message.name);
  }
  return {
    document,
    routeSelectionExpression: expression,
    schemas: own,
    messages: list,
    files: [...result.fileDependencies].sort(),
  };
}

/** Adds the AsyncAPI document's own schemas to a copy of the OpenAPI document's components. */
export function withAsyncApiSchemas(
  openapiSource: JsonObject,
  asyncapi: AsyncApiModel | undefined,
): JsonObject {
  if (asyncapi === undefined || Object.keys(asyncapi.schemas).length === 0) return openapiSource;
  const copy = clone(openapiSource);
  const components = isObject(copy.components) ? copy.components : {};
  const schemas = isObject(components.schemas) ? components.schemas : {};
  components.schemas = { ...schemas, ...clone(asyncapi.schemas) };
  copy.components = components;
  return copy;
}

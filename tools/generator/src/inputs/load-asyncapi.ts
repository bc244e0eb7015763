// AsyncAPI 3.0 §3.3 (Operation, Message and Channel Objects): the WebSocket messages, each bound to the OpenAPI
// schema its payload references, so REST and WebSocket share one type and one validator per schema.

import { bundle, createConfig } from '@redocly/openapi-core';
import { isDeepStrictEqual } from 'node:util';
import { ownTagValues } from '../transforms/discriminator-mapping.js';
import { ContractRuleError, GeneratorError } from '../util/errors.js';
import { isObject, type JsonObject, type JsonValue, resolvePointer } from '../util/json.js';
import { schemaRefName } from '../util/schema-walk.js';

export interface MessageModel {
  name: string;
  /** `client`: the client sends it (an AsyncAPI `receive` operation); `server`: the server sends it. */
  direction: 'client' | 'server';
  /** The OpenAPI component schema of the payload. */
  schemaName: string;
  /** Client messages: the route key (the payload's value for the route selection property). */
  routeKey?: string;
  /** Server messages: the payload's `type` literal. */
  type?: string;
  examples: { name: string; value: JsonValue }[];
  location: string;
}

export interface AsyncApiModel {
  document: JsonObject;
  routeSelectionExpression: string;
  messages: MessageModel[];
  files: string[];
}

const DEFAULT_ROUTE_SELECTION = '$request.body.action';

function derefAsync(document: JsonObject, value: JsonValue | undefined): { value: JsonValue | undefined; location?: string } {
  let current = value;
  let location: string | undefined;
  const seen = new Set<string>();
  while (isObject(current) && typeof current.$ref === 'string') {
    const ref = current.$ref;
    if (!ref.startsWith('#') || seen.has(ref)) throw new ContractRuleError(ref, 'the reference cannot be resolved.');
    seen.add(ref);
    location = ref.slice(1);
    current = resolvePointer(document, location) as JsonValue | undefined;
  }
  return location === undefined ? { value: current } : { value: current, location };
}

function singleLiteral(values: JsonValue[] | undefined): string | undefined {
  return values !== undefined && values.length === 1 && typeof values[0] === 'string' ? values[0] : undefined;
}

/**
 * Loads and bundles the AsyncAPI document. `openapiSource` is the bundled OpenAPI document: an AsyncAPI schema
 * counts as the OpenAPI schema of the same name when both bundles hold identical content.
 */
export async function loadAsyncApi(path: string, openapiSource: JsonObject): Promise<AsyncApiModel> {
  const config = await createConfig({});
  const result = await bundle({ ref: path, config, dereference: false, removeUnusedComponents: false });
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    throw new GeneratorError(`Bundling ${path} failed:\n${errors.map((problem) => `- ${problem.message}`).join('\n')}`);
  }
  const document = result.bundle.parsed as JsonObject;
  if (typeof document.asyncapi !== 'string' || !document.asyncapi.startsWith('3.')) {
    throw new ContractRuleError(`${path}#/asyncapi`, `expected an AsyncAPI 3.x document, got ${JSON.stringify(document.asyncapi)}.`);
  }
  const openapiSchemas = resolvePointer(openapiSource, '/components/schemas');
  const asyncSchemas = resolvePointer(document, '/components/schemas');

  const expression =
    typeof document['x-katapp-route-selection-expression'] === 'string'
      ? document['x-katapp-route-selection-expression']
      : DEFAULT_ROUTE_SELECTION;
  const selectionMatch = /^\$request\.body\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(expression);
  if (selectionMatch?.[1] === undefined) {
    throw new ContractRuleError(`${path}#/x-katapp-route-selection-expression`, `unsupported expression "${expression}"; use $request.body.<property>.`);
  }
  const routeProperty = selectionMatch[1];

  const messages = new Map<string, MessageModel>();
  const operations = isObject(document.operations) ? document.operations : {};
  for (const [operationName, rawOperation] of Object.entries(operations)) {
    const operation = derefAsync(document, rawOperation).value;
    if (!isObject(operation)) continue;
    const at = `${path}#/operations/${operationName}`;
    if (operation.action !== 'send' && operation.action !== 'receive') {
      throw new ContractRuleError(at, `action must be "send" or "receive", got ${JSON.stringify(operation.action)}.`);
    }
    const direction = operation.action === 'receive' ? 'client' : 'server';
    const refs = Array.isArray(operation.messages) ? operation.messages : [];
    for (const ref of refs) {
      const { value: message, location } = derefAsync(document, ref);
      if (!isObject(message) || location === undefined) continue;
      const name = typeof message.name === 'string' ? message.name : (location.split('/').pop() ?? 'message');
      const payload = message.payload;
      const schemaName = isObject(payload) ? schemaRefName(payload.$ref) : undefined;
      const openapiSchema = schemaName !== undefined && isObject(openapiSchemas) ? openapiSchemas[schemaName] : undefined;
      const asyncSchema = schemaName !== undefined && isObject(asyncSchemas) ? asyncSchemas[schemaName] : undefined;
      if (schemaName === undefined || openapiSchema === undefined || !isDeepStrictEqual(openapiSchema, asyncSchema)) {
        throw new ContractRuleError(
          `${path}#${location}/payload`,
          `the payload of message "${name}" must be a $ref to a schema defined in api/ (one type and validator ` +
            'for REST and WebSocket); move the schema there and reference it.',
        );
      }
      const examples = (Array.isArray(message.examples) ? message.examples : []).flatMap((example, index) =>
        isObject(example) && example.payload !== undefined
          ? [{ name: typeof example.name === 'string' ? example.name : `example${index}`, value: example.payload }]
          : [],
      );
      const model: MessageModel = { name, direction, schemaName, examples, location: `${path}#${location}` };
      if (direction === 'client') {
        const routeKey = singleLiteral(ownTagValues(openapiSource, openapiSchema, routeProperty));
        if (routeKey === undefined) {
          throw new ContractRuleError(
            model.location,
            `client message "${name}" needs a single const value for "${routeProperty}" (its route key).`,
          );
        }
        model.routeKey = routeKey;
      } else {
        const type = singleLiteral(ownTagValues(openapiSource, openapiSchema, 'type'));
        if (type === undefined) {
          throw new ContractRuleError(model.location, `server message "${name}" needs a single const value for "type".`);
        }
        model.type = type;
      }
      const previous = messages.get(name);
      if (previous !== undefined && previous.direction !== direction) {
        throw new ContractRuleError(model.location, `message "${name}" is both sent and received; split it in two messages.`);
      }
      messages.set(name, model);
    }
  }
  const list = [...messages.values()];
  const routeKeys = new Map<string, string>();
  for (const message of list) {
    if (message.routeKey === undefined) continue;
    if (message.routeKey.startsWith('$')) {
      throw new ContractRuleError(message.location, `route key "${message.routeKey}" is reserved for API Gateway.`);
    }
    const other = routeKeys.get(message.routeKey);
    if (other !== undefined) {
      throw new ContractRuleError(message.location, `route key "${message.routeKey}" is also used by message "${other}".`);
    }
    routeKeys.set(message.routeKey, message.name);
  }
  return { document, routeSelectionExpression: expression, messages: list, files: [...result.fileDependencies].sort() };
}

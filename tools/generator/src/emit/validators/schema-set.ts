// The schemas the validators are compiled from (JSON Schema 2020-12 `$id` identifiers): every component and every
// operation part gets an absolute `$id`, and `#/components/schemas/...` references are rewritten to those ids.

import type { MessageModel } from '../../inputs/load-asyncapi.js';
import type { OperationModel, ParameterModel } from '../../model/operations.js';
import type { PreparedContract } from '../../prepare.js';
import {
  BASE_SUFFIX,
  lowerDiscriminatorsForAjv,
  lowerSchemaDiscriminators,
} from '../../transforms/ajv-discriminator.js';
import { clone, isObject, type JsonObject, type JsonValue, resolvePointer } from '../../util/json.js';
import { forEachSchema, mapSchema } from '../../util/schema-walk.js';

/** Base of every `$id`; `.invalid` (RFC 2606) makes clear that nothing is ever fetched from it. */
export const ID_BASE = 'https://katapp.invalid';

export function componentId(name: string): string {
  return `${ID_BASE}/schemas/${encodeURIComponent(name)}`;
}

export interface CompiledSchema {
  /** Identifier the validator is exported under in the standalone module. */
  exportName: string;
  id: string;
  schema: JsonObject;
}

export interface OperationValidatorNames {
  path?: string;
  query?: string;
  header?: string;
  body?: string;
  responses: Record<string, string>;
}

export interface ValidatorSet {
  /** Component schemas, added to both Ajv instances so parameters can reference them. */
  components: CompiledSchema[];
  /** Validators compiled without coercion: components, bodies, responses. */
  data: CompiledSchema[];
  /** Parameter validators, compiled with `coerceTypes: "array"`. */
  parameters: CompiledSchema[];
  operations: Map<string, OperationValidatorNames>;
  /** Lambda function name → ids of the operations it implements, in contract order. */
  functions: Map<string, string[]>;
  /** Component name → export name (internal `__base` copies left out). */
  schemas: Map<string, string>;
  /** Message name → export name. */
  messages: Map<string, string>;
  /** Message name → export name of the messages clients send (the ones the websocket function validates). */
  clientMessages: Map<string, string>;
  /** `x-` keywords found in the schemas; Ajv gets them as annotation keywords. */
  extensionKeywords: string[];
}

function rewriteRefs(schema: JsonValue): JsonValue {
  return mapSchema(schema, '', (node) => {
    if (typeof node.$ref !== 'string' || !node.$ref.startsWith('#/components/schemas/')) return node;
    const rest = node.$ref.slice('#/components/schemas/'.length);
    const slash = rest.indexOf('/');
    const name = decodeURIComponent(slash === -1 ? rest : rest.slice(0, slash))
      .replaceAll('~1', '/')
      .replaceAll('~0', '~');
    const fragment = slash === -1 ? '' : `#${rest.slice(slash)}`;
    return { ...node, $ref: `${componentId(name)}${fragment}` };
  });
}

function exportIdentifier(raw: string, used: Set<string>): string {
  const base = raw.replace(/[^A-Za-z0-9_$]/g, '_').replace(/^(\d)/, '_$1');
  let name = base;
  for (let counter = 2; used.has(name); counter++) name = `${base}_${counter}`;
  used.add(name);
  return name;
}

function isPureRef(schema: JsonValue): schema is { $ref: string } {
  return isObject(schema) && typeof schema.$ref === 'string' && Object.keys(schema).length === 1;
}

function parameterObjectSchema(parameters: ParameterModel[]): JsonObject {
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const parameter of parameters) {
    properties[parameter.name] = parameter.schema;
    if (parameter.required) required.push(parameter.name);
  }
  return { type: 'object', properties, ...(required.length > 0 ? { required } : {}) };
}

/** Tells whether a media type is JSON: `application/json` or any `+json` suffix type. */
export function isJsonMediaType(contentType: string): boolean {
  const essence = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
  return essence === 'application/json' || essence.endsWith('+json');
}

export function buildValidatorSet(
  prepared: PreparedContract,
  operations: OperationModel[],
  messages: MessageModel[],
): ValidatorSet {
  const document = clone(prepared.views);
  lowerDiscriminatorsForAjv(document, prepared.discriminators);
  const componentSchemas = resolvePointer(document, '/components/schemas');
  const used = new Set<string>();
  const set: ValidatorSet = {
    components: [],
    data: [],
    parameters: [],
    operations: new Map(),
    functions: new Map(),
    schemas: new Map(),
    messages: new Map(),
    clientMessages: new Map(),
    extensionKeywords: [],
  };

  for (const [name, schema] of Object.entries(isObject(componentSchemas) ? componentSchemas : {})) {
    const exportName = exportIdentifier(`schema_${name}`, used);
    const lowered = rewriteRefs(schema as JsonValue);
    // A boolean schema becomes the equivalent object schema, which can carry an $id.
    let body: JsonObject = {};
    if (isObject(lowered)) body = lowered;
    else if (lowered === false) body = { not: {} };
    set.components.push({ exportName, id: componentId(name), schema: { ...body, $id: componentId(name) } });
    if (!name.endsWith(BASE_SUFFIX)) set.schemas.set(name, exportName);
  }

  const addData = (raw: JsonValue, label: string, location: string): string => {
    const lowered = rewriteRefs(lowerSchemaDiscriminators(clone(raw), location));
    if (isPureRef(lowered)) {
      const target = set.components.find((component) => component.id === lowered.$ref);
      if (target !== undefined) return target.exportName;
    }
    const exportName = exportIdentifier(label, used);
    const id = `${ID_BASE}/${label.replaceAll('_', '/')}`;
    set.data.push({ exportName, id, schema: { ...(isObject(lowered) ? lowered : {}), $id: id } });
    return exportName;
  };

  // Operations were collected from the prepared document, so their schemas already carry the read/write views.
  for (const operation of operations) {
    const names: OperationValidatorNames = { responses: {} };
    for (const location of ['path', 'query', 'header'] as const) {
      const parameters = operation.parameters.filter((parameter) => parameter.in === location);
      if (parameters.length === 0) continue;
      const exportName = exportIdentifier(`${operation.operationId}_${location}`, used);
      const id = `${ID_BASE}/operations/${operation.operationId}/${location}`;
      const schema = rewriteRefs(
        lowerSchemaDiscriminators(parameterObjectSchema(parameters), operation.location),
      );
      set.parameters.push({ exportName, id, schema: { ...(schema as JsonObject), $id: id } });
      names[location] = exportName;
    }
    const body = operation.requestBody?.content.find(
      (media) => isJsonMediaType(media.contentType) && media.schema !== undefined,
    );
    if (body?.schema !== undefined)
      names.body = addData(body.schema, `${operation.operationId}_body`, body.location);
    for (const response of operation.responses) {
      const media = response.content.find(
        (entry) => isJsonMediaType(entry.contentType) && entry.schema !== undefined,
      );
      if (media?.schema === undefined) continue;
      names.responses[response.status] = addData(
        media.schema,
        `${operation.operationId}_response_${response.status}`,
        media.location,
      );
    }
    set.operations.set(operation.operationId, names);
    const siblings = set.functions.get(operation.functionName) ?? [];
    siblings.push(operation.operationId);
    set.functions.set(operation.functionName, siblings);
  }

  for (const message of messages) {
    const exportName = set.schemas.get(message.schemaName);
    if (exportName === undefined) continue;
    set.messages.set(message.name, exportName);
    if (message.direction === 'client') set.clientMessages.set(message.name, exportName);
  }

  const keywords = new Set<string>();
  for (const compiled of [...set.components, ...set.data, ...set.parameters]) {
    forEachSchema(compiled.schema, '', (node) => {
      for (const key of Object.keys(node)) if (key.startsWith('x-')) keywords.add(key);
    });
  }
  set.extensionKeywords = [...keywords].sort();
  return set;
}

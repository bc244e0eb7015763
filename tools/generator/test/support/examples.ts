// Collects every example of a contract together with the validator that must accept it, and derives a mutated
// copy that the same validator must reject.

import type { MessageModel } from '../../src/inputs/load-asyncapi.js';
import type { OperationModel } from '../../src/model/operations.js';
import { resolveSchemaRef } from '../../src/transforms/discriminator-mapping.js';
import { clone, isObject, type JsonObject, type JsonValue } from '../../src/util/json.js';
import { schemaRefName } from '../../src/util/schema-walk.js';

export interface ExampleCase {
  /** Readable label: where the example sits. */
  label: string;
  /** Which validator: `operation`, location (`body`, `query`, `response:201`...), or `message`/`schema`. */
  target:
    | {
        kind: 'operation';
        operationId: string;
        part: 'path' | 'query' | 'header' | 'body' | `response:${string}`;
      }
    | { kind: 'message'; name: string }
    /** A component schema example: valid when either view (read, or write when it exists) accepts it. */
    | { kind: 'schema'; name: string };
  value: JsonValue;
  /** The schema the example is written against, for choosing a mutation. */
  schema: JsonValue;
}

export function collectExampleCases(
  document: JsonObject,
  operations: OperationModel[],
  messages: MessageModel[],
): ExampleCase[] {
  const cases: ExampleCase[] = [];
  for (const operation of operations) {
    const id = operation.operationId;
    for (const media of operation.requestBody?.content ?? []) {
      for (const example of media.examples) {
        cases.push({
          label: `${id} request ${media.contentType} ${example.name}`,
          target: { kind: 'operation', operationId: id, part: 'body' },
          value: example.value,
          schema: media.schema ?? {},
        });
      }
    }
    for (const response of operation.responses) {
      for (const media of response.content) {
        if (!/json/.test(media.contentType)) continue;
        for (const example of media.examples) {
          cases.push({
            label: `${id} ${response.status} ${example.name}`,
            target: { kind: 'operation', operationId: id, part: `response:${response.status}` },
            value: example.value,
            schema: media.schema ?? {},
          });
        }
      }
    }
    for (const location of ['path', 'query', 'header'] as const) {
      const parameters = operation.parameters.filter((parameter) => parameter.in === location);
      for (const parameter of parameters) {
        for (const example of parameter.examples) {
          // The other required parameters of the location take their own first example.
          const value: JsonObject = {};
          let complete = true;
          for (const other of parameters) {
            if (other === parameter) value[other.name] = example.value;
            else if (other.required) {
              const first = other.examples[0];
              if (first === undefined) complete = false;
              else value[other.name] = first.value;
            }
          }
          if (!complete) continue;
          cases.push({
            label: `${id} ${location} parameter ${parameter.name} ${example.name}`,
            target: { kind: 'operation', operationId: id, part: location },
            value,
            schema: {
              type: 'object',
              properties: Object.fromEntries(parameters.map((entry) => [entry.name, entry.schema])),
              required: parameters.filter((entry) => entry.required).map((entry) => entry.name),
            },
          });
        }
      }
    }
  }
  for (const message of messages) {
    for (const example of message.examples) {
      cases.push({
        label: `message ${message.name} ${example.name}`,
        target: { kind: 'message', name: message.name },
        value: example.value,
        schema: { $ref: `#/components/schemas/${message.schemaName}` },
      });
    }
  }
  const schemas =
    isObject(document.components) && isObject(document.components.schemas) ? document.components.schemas : {};
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !Array.isArray(schema.examples) || name.endsWith('Write')) continue;
    schema.examples.forEach((value, index) => {
      cases.push({
        label: `schema ${name} example ${index + 1}`,
        target: { kind: 'schema', name },
        value,
        schema: { $ref: `#/components/schemas/${name}` },
      });
    });
  }
  return cases;
}

interface Shape {
  required: Set<string>;
  closed: boolean;
  types: Set<string>;
  enumValues?: JsonValue[];
}

/** Required names, closedness and allowed types of a schema, through $ref and allOf (not oneOf/anyOf). */
function shapeOf(
  document: JsonObject,
  schema: JsonValue,
  shape: Shape = { required: new Set(), closed: false, types: new Set() },
  depth = 0,
): Shape {
  const resolved = resolveSchemaRef(document, schema);
  if (!isObject(resolved) || depth > 20) return shape;
  if (Array.isArray(resolved.required))
    for (const name of resolved.required) shape.required.add(String(name));
  if (resolved.additionalProperties === false || resolved.unevaluatedProperties === false)
    shape.closed = true;
  if (typeof resolved.type === 'string') shape.types.add(resolved.type);
  if (Array.isArray(resolved.type)) for (const type of resolved.type) shape.types.add(String(type));
  if (resolved.const !== undefined) shape.enumValues = [resolved.const];
  if (Array.isArray(resolved.enum)) shape.enumValues = resolved.enum;
  if (isObject(resolved.discriminator) && typeof resolved.discriminator.propertyName === 'string') {
    shape.required.add(resolved.discriminator.propertyName);
  }
  if (Array.isArray(resolved.allOf))
    for (const part of resolved.allOf) shapeOf(document, part, shape, depth + 1);
  if (schemaRefName(isObject(schema) ? schema.$ref : undefined) !== undefined && isObject(schema)) {
    const { $ref: _ref, ...siblings } = schema;
    if (Object.keys(siblings).length > 0) shapeOf(document, siblings, shape, depth + 1);
  }
  return shape;
}

function jsonType(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

/**
 * A copy of `value` the schema must reject, and what was changed: a required property dropped, an unknown
 * property added to a closed object, or a value of a type the schema does not allow.
 */
export function mutateExample(
  document: JsonObject,
  schema: JsonValue,
  value: JsonValue,
): { value: JsonValue; change: string } | undefined {
  const shape = shapeOf(document, schema);
  if (isObject(value)) {
    const present = [...shape.required].find((name) => name in value);
    if (present !== undefined) {
      const copy = clone(value);
      delete copy[present];
      return { value: copy, change: `dropped required property "${present}"` };
    }
    if (shape.closed)
      return { value: { ...clone(value), mutationExtra: true }, change: 'added property "mutationExtra"' };
  }
  const candidates: JsonValue[] = [123.5, 'mutated-value', true, { mutated: true }, [123.5]];
  const allowed = shape.types;
  for (const candidate of candidates) {
    const type = jsonType(candidate);
    const typeAllowed = allowed.has(type) || (type === 'integer' && allowed.has('number'));
    const typeKnown = allowed.size > 0;
    const enumExcludes =
      shape.enumValues !== undefined &&
      !shape.enumValues.some((entry) => JSON.stringify(entry) === JSON.stringify(candidate));
    if ((typeKnown && !typeAllowed) || enumExcludes)
      return { value: candidate, change: `replaced by ${JSON.stringify(candidate)}` };
  }
  return undefined;
}

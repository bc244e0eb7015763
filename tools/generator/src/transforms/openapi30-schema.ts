// OpenAPI 3.0.3 Schema Object → JSON Schema 2020-12 (the dialect of OpenAPI 3.1), so every later transform
// works on one dialect.

import { mapDocumentSchemas } from '../util/document-schemas.js';
import { clone, type JsonObject, type JsonValue } from '../util/json.js';
import { mapSchema } from '../util/schema-walk.js';

/**
 * Rewrites one 3.0 Schema Object:
 * - `nullable: true` admits `null` in addition to what the schema admits: a string `type` becomes
 *   `[type, "null"]`, a schema without `type` (for example `allOf: [$ref]`) becomes `anyOf: [schema, {type: null}]`,
 *   and an `enum` gains `null`. Types, validators and gateway models all read this one interpretation.
 * - boolean `exclusiveMinimum`/`exclusiveMaximum` become the numeric 2020-12 form.
 */
export function convertOpenApi30Schema(schema: JsonObject): JsonObject {
  const result: JsonObject = { ...schema };
  if (result.exclusiveMinimum === true && typeof result.minimum === 'number') {
    result.exclusiveMinimum = result.minimum;
    delete result.minimum;
  } else if (result.exclusiveMinimum === false) {
    delete result.exclusiveMinimum;
  }
  if (result.exclusiveMaximum === true && typeof result.maximum === 'number') {
    result.exclusiveMaximum = result.maximum;
    delete result.maximum;
  } else if (result.exclusiveMaximum === false) {
    delete result.exclusiveMaximum;
  }
  const nullable = result.nullable === true;
  delete result.nullable;
  if (!nullable) return result;
  if (Array.isArray(result.enum) && !result.enum.includes(null)) result.enum = [...result.enum, null];
  if (typeof result.type === 'string') {
    result.type = [result.type, 'null'];
    return result;
  }
  if (Array.isArray(result.type)) {
    if (!result.type.includes('null')) result.type = [...result.type, 'null'];
    return result;
  }
  // Without a type the schema's constraints come from $ref or composition: null becomes a second branch.
  const annotations: JsonObject = {};
  for (const key of [
    'description',
    'title',
    'example',
    'examples',
    'default',
    'readOnly',
    'writeOnly',
    'deprecated',
  ]) {
    if (key in result) {
      annotations[key] = result[key] as JsonValue;
      delete result[key];
    }
  }
  return { ...annotations, anyOf: [result, { type: 'null' }] };
}

/** Converts a whole OpenAPI 3.0 document to 3.1 schemas; 3.1 documents are returned unchanged. */
export function convertOpenApi30Document(document: JsonObject): JsonObject {
  const version = String(document.openapi);
  if (!version.startsWith('3.0.')) return document;
  const copy = clone(document);
  mapDocumentSchemas(copy, (schema, location) => mapSchema(schema, location, convertOpenApi30Schema));
  copy.openapi = '3.1.0';
  return copy;
}

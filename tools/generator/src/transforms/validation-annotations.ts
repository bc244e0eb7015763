// JSON Schema 2020-12 Meta-Data vocabulary (Validation, section 9), `$comment` (Core, section 8.3) and the OpenAPI
// 3.1 annotations (`example`, `xml`, `externalDocs`, `x-` extensions) removed before the standalone compile.
// Annotations never change a verdict. Ajv's standalone code embeds a schema object whenever it reads one of its
// values at run time, for example the `properties` of a large object for `additionalProperties: false` or an
// `enum` list for an error. Every description and example under that schema would then ship in each bundle.

import { isObject, type JsonObject } from '../util/json.js';
import { mapSchema } from '../util/schema-walk.js';

/** Keywords that only annotate: Ajv 8 with `useDefaults` off evaluates none of them. */
export const VALIDATION_ANNOTATIONS: ReadonlySet<string> = new Set([
  'title',
  'description',
  'default',
  'deprecated',
  'readOnly',
  'writeOnly',
  'examples',
  '$comment',
  'example',
  'xml',
  'externalDocs',
]);

function isAnnotation(keyword: string): boolean {
  return VALIDATION_ANNOTATIONS.has(keyword) || keyword.startsWith('x-');
}

/**
 * Returns a copy of `schema` without annotation keywords in any subschema. Only schema objects lose keys, so a
 * property named `description` or an `enum` value with such a key stays as it is.
 */
export function withoutAnnotations(schema: JsonObject): JsonObject {
  const stripped = mapSchema(schema, '', (node) => {
    const kept: JsonObject = {};
    for (const [keyword, value] of Object.entries(node)) {
      if (!isAnnotation(keyword)) kept[keyword] = value;
    }
    return kept;
  });
  return isObject(stripped) ? stripped : schema;
}

// Traversal of JSON Schema 2020-12 subschemas (the applicator keywords of JSON Schema Core, plus $defs).

import { isObject, type JsonObject, type JsonValue, pointer } from './json.js';

/** Keywords whose value is one subschema. */
export const SINGLE_SCHEMA_KEYWORDS = [
  'additionalProperties',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
  'contentSchema',
] as const;

/** Keywords whose value is an array of subschemas. */
export const SCHEMA_ARRAY_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'] as const;

/** Keywords whose value maps names to subschemas. */
export const SCHEMA_MAP_KEYWORDS = [
  'properties',
  'patternProperties',
  '$defs',
  'definitions',
  'dependentSchemas',
] as const;

export type SchemaVisitor = (schema: JsonObject, location: string) => JsonObject;

/**
 * Rebuilds a schema tree. `visit` receives each schema object (pre-order, after its parent was rebuilt) and
 * returns its replacement, and the walk then descends into the replacement's subschemas.
 * Boolean schemas are kept as they are.
 */
export function mapSchema(schema: JsonValue, location: string, visit: SchemaVisitor): JsonValue {
  if (!isObject(schema)) return schema;
  const replaced = visit(schema, location);
  const result: JsonObject = { ...replaced };
  for (const keyword of SINGLE_SCHEMA_KEYWORDS) {
    const child = result[keyword];
    if (child !== undefined) result[keyword] = mapSchema(child, `${location}${pointer(keyword)}`, visit);
  }
  for (const keyword of SCHEMA_ARRAY_KEYWORDS) {
    const children = result[keyword];
    if (Array.isArray(children)) {
      result[keyword] = children.map((child, index) =>
        mapSchema(child, `${location}${pointer(keyword, index)}`, visit),
      );
    }
  }
  for (const keyword of SCHEMA_MAP_KEYWORDS) {
    const children = result[keyword];
    if (isObject(children)) {
      const mapped: JsonObject = {};
      for (const [name, child] of Object.entries(children)) {
        mapped[name] = mapSchema(child, `${location}${pointer(keyword, name)}`, visit);
      }
      result[keyword] = mapped;
    }
  }
  return result;
}

/** Calls `visit` on every schema object in the tree (pre-order) without changing anything. */
export function forEachSchema(
  schema: JsonValue,
  location: string,
  visit: (schema: JsonObject, location: string) => void,
): void {
  mapSchema(schema, location, (node, at) => {
    visit(node, at);
    return node;
  });
}

/** Returns the component name a local `#/components/schemas/Name` reference points at, or undefined. */
export function schemaRefName(ref: unknown): string | undefined {
  if (typeof ref !== 'string') return undefined;
  const prefix = '#/components/schemas/';
  if (!ref.startsWith(prefix)) return undefined;
  const name = ref.slice(prefix.length);
  return name.includes('/')
    ? undefined
    : decodeURIComponent(name).replaceAll('~1', '/').replaceAll('~0', '~');
}

export function schemaRef(name: string): string {
  return `#/components/schemas/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

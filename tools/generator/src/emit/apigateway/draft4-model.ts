// JSON Schema 2020-12 → the draft-4 subset API Gateway REST models accept (API Gateway developer guide, "Amazon
// API Gateway important notes" and "Working with models"). Each dropped or rewritten keyword goes to the report.
//
// The rule that keeps the gateway and Ajv consistent: lowering only ever removes constraints, never adds one, so
// the gateway never rejects a request the Lambda's validator accepts. Where removing one keyword would make a
// sibling stricter (additionalProperties: false next to a dropped patternProperties), both are removed.

import { isObject, type JsonObject, type JsonValue, pointer } from '../../util/json.js';
import { schemaRefName } from '../../util/schema-walk.js';
import type { GatewayReport } from './report.js';

/** Keywords kept as they are. */
const KEPT = new Set([
  'multipleOf',
  'maximum',
  'minimum',
  'maxLength',
  'minLength',
  'pattern',
  'maxItems',
  'minItems',
  'uniqueItems',
  'maxProperties',
  'minProperties',
  'required',
  'enum',
]);

/** Keywords that never affect validation; removed from models (documentation lives in generated/openapi.json). */
const ANNOTATIONS = new Set([
  'title',
  'description',
  'default',
  'example',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
  'xml',
  'externalDocs',
  '$comment',
  '$id',
  '$schema',
  '$anchor',
  'contentMediaType',
  'contentEncoding',
]);

export interface LowerContext {
  report: GatewayReport;
  model: string;
  /** Component name → gateway model name. */
  modelName: (component: string) => string;
  /** Maps a pointer inside the prepared document to the pointer reported for generated/openapi.json. */
  sourcePointer: (location: string) => string;
  /** Component schemas of the prepared document, for merging allOf parts; without it allOf is dropped. */
  components?: JsonObject;
}

/** Keywords an allOf part may have and still be merged into one draft-4 object model. */
const MERGEABLE = new Set(['type', 'properties', 'required', 'additionalProperties', 'allOf', '$ref']);

interface MergedObject {
  properties: Map<string, { schema: JsonValue; location: string }>;
  required: Set<string>;
  /** False when a part had something that cannot be merged; the merge is then abandoned. */
  complete: boolean;
}

/** Adds one plain object schema's properties and required names to the merge. */
function collectPart(
  schema: JsonObject,
  location: string,
  context: LowerContext,
  merged: MergedObject,
  seen: Set<string>,
): void {
  for (const key of Object.keys(schema)) {
    if (!MERGEABLE.has(key) && !ANNOTATIONS.has(key) && !key.startsWith('x-')) merged.complete = false;
  }
  if (schema.type !== undefined && schema.type !== 'object') merged.complete = false;
  // A part's additionalProperties other than false marks every other property as evaluated, which a merged
  // `additionalProperties: false` cannot express.
  if (schema.additionalProperties !== undefined && schema.additionalProperties !== false)
    merged.complete = false;
  if (typeof schema.$ref === 'string') {
    const { $ref, ...siblings } = schema;
    collectAllOf([{ $ref }], location, context, merged, seen);
    collectPart(siblings, location, context, merged, seen);
    return;
  }
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      if (!merged.properties.has(name)) {
        merged.properties.set(name, {
          schema: property,
          location: `${location}${pointer('properties', name)}`,
        });
      }
    }
  }
  if (Array.isArray(schema.required)) for (const name of schema.required) merged.required.add(String(name));
  if (Array.isArray(schema.allOf)) collectAllOf(schema.allOf, location, context, merged, seen);
}

/**
 * Collects the properties and required names of allOf parts that are plain object schemas, following `$ref` to
 * components. Each collected constraint holds for the whole allOf, so enforcing it is never stricter than Ajv.
 */
function collectAllOf(
  parts: JsonValue[],
  location: string,
  context: LowerContext,
  merged: MergedObject,
  seen: Set<string>,
): void {
  parts.forEach((part, index) => {
    if (!isObject(part)) {
      if (part !== true) merged.complete = false;
      return;
    }
    const component = schemaRefName(part.$ref);
    if (component === undefined || Object.keys(part).length > 1) {
      collectPart(part, `${location}/allOf/${index}`, context, merged, seen);
      return;
    }
    const target = context.components?.[component];
    if (!isObject(target) || seen.has(component)) {
      merged.complete = false;
      return;
    }
    seen.add(component);
    collectPart(target, pointer('components', 'schemas', component), context, merged, seen);
  });
}

/**
 * Merges an allOf of object schemas into one draft-4 object model, or returns undefined when a part cannot be
 * merged. `unevaluatedProperties: false` becomes `additionalProperties: false` over the merged properties, which is
 * exact only when every part was merged.
 */
function mergeAllOf(schema: JsonObject, location: string, context: LowerContext): JsonObject | undefined {
  if (!Array.isArray(schema.allOf) || context.components === undefined) return undefined;
  const merged: MergedObject = { properties: new Map(), required: new Set(), complete: true };
  collectAllOf(schema.allOf, location, context, merged, new Set());
  if (!merged.complete || merged.properties.size === 0) return undefined;
  for (const key of Object.keys(schema)) {
    const allowed =
      MERGEABLE.has(key) || key === 'unevaluatedProperties' || ANNOTATIONS.has(key) || key.startsWith('x-');
    if (!allowed) return undefined;
  }
  const properties: JsonObject = {};
  if (isObject(schema.properties)) {
    for (const [name, property] of Object.entries(schema.properties)) {
      properties[name] = lowerToDraft4(property, `${location}${pointer('properties', name)}`, context);
    }
  }
  for (const [name, entry] of merged.properties) {
    if (!(name in properties)) properties[name] = lowerToDraft4(entry.schema, entry.location, context);
  }
  const required = new Set([
    ...merged.required,
    ...(Array.isArray(schema.required) ? schema.required.map(String) : []),
  ]);
  const result: JsonObject = { type: 'object', properties };
  if (required.size > 0) result.required = [...required];
  if (schema.unevaluatedProperties === false || schema.additionalProperties === false)
    result.additionalProperties = false;
  rewritten(context, `${location}/allOf`, 'allOf', 'object parts merged into one model');
  return result;
}

function notEnforced(context: LowerContext, location: string, keyword: string, detail: string): void {
  context.report.add({
    kind: 'not-enforced',
    pointer: context.sourcePointer(location),
    keyword,
    model: context.model,
    detail,
  });
}

function rewritten(context: LowerContext, location: string, keyword: string, detail: string): void {
  context.report.add({
    kind: 'rewritten',
    pointer: context.sourcePointer(location),
    keyword,
    model: context.model,
    detail,
  });
}

/** Lowers one schema; `location` is its JSON Pointer in the prepared document. */
export function lowerToDraft4(schema: JsonValue, location: string, context: LowerContext): JsonObject {
  if (schema === true || schema === undefined) return {};
  if (schema === false) {
    notEnforced(context, location, 'false', 'a schema that rejects everything is accepted by the gateway');
    return {};
  }
  if (!isObject(schema)) return {};
  const result: JsonObject = {};

  // A single-part allOf next to annotations only (`allOf: [$ref], readOnly: true`) is that part.
  if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    const others = Object.keys(schema).filter(
      (key) => key !== 'allOf' && !ANNOTATIONS.has(key) && !key.startsWith('x-'),
    );
    if (others.length === 0)
      return lowerToDraft4(schema.allOf[0] as JsonValue, `${location}/allOf/0`, context);
  }
  const merged = mergeAllOf(schema, location, context);
  if (merged !== undefined) return merged;

  if (typeof schema.$ref === 'string') {
    const component = schemaRefName(schema.$ref);
    if (component === undefined) {
      notEnforced(context, location, '$ref', `reference ${schema.$ref} is not a component schema`);
      return {};
    }
    // draft-4 ignores keywords next to $ref; annotations can go, constraints are reported.
    for (const key of Object.keys(schema)) {
      if (key === '$ref' || ANNOTATIONS.has(key) || key.startsWith('x-')) continue;
      notEnforced(context, `${location}/${key}`, key, 'keywords next to $ref are ignored by draft-4');
    }
    return { $ref: `#/components/schemas/${context.modelName(component)}` };
  }

  for (const [keyword, value] of Object.entries(schema)) {
    const at = `${location}${pointer(keyword)}`;
    if (KEPT.has(keyword)) {
      result[keyword] = value;
      continue;
    }
    if (ANNOTATIONS.has(keyword) || keyword.startsWith('x-')) {
      context.report.add({
        kind: 'annotation',
        pointer: context.sourcePointer(at),
        keyword,
        model: context.model,
        detail: 'removed from the model',
      });
      continue;
    }
    switch (keyword) {
      case 'type': {
        if (typeof value === 'string' && value !== 'null') result.type = value;
        else if (Array.isArray(value) && value.length === 1 && value[0] !== 'null')
          result.type = value[0] as string;
        else {
          // A null-admitting union without its type keeps `null` accepted, as Ajv accepts it.
          notEnforced(context, at, 'type', `type ${JSON.stringify(value)} is not checked by the gateway`);
        }
        break;
      }
      case 'const':
        result.enum = [value];
        rewritten(context, at, 'const', 'const → one-value enum');
        break;
      case 'exclusiveMinimum':
      case 'exclusiveMaximum': {
        const bound = keyword === 'exclusiveMinimum' ? 'minimum' : 'maximum';
        const inclusive = schema[bound];
        if (typeof value !== 'number') break;
        const exclusiveIsStricter =
          typeof inclusive !== 'number' || (bound === 'minimum' ? value >= inclusive : value <= inclusive);
        if (exclusiveIsStricter) {
          result[bound] = value;
          result[keyword] = true;
          rewritten(context, at, keyword, `${keyword}: ${value} → ${bound}: ${value}, ${keyword}: true`);
        }
        break;
      }
      case 'properties': {
        if (!isObject(value)) break;
        const properties: JsonObject = {};
        for (const [name, property] of Object.entries(value)) {
          properties[name] = lowerToDraft4(property, `${at}${pointer(name)}`, context);
        }
        result.properties = properties;
        break;
      }
      case 'additionalProperties':
        if (typeof value === 'boolean') result.additionalProperties = value;
        else result.additionalProperties = lowerToDraft4(value, at, context);
        break;
      case 'items':
        result.items = lowerToDraft4(value, at, context);
        break;
      case 'format':
        notEnforced(context, at, 'format', `format "${String(value)}" is checked by the Lambda only`);
        break;
      case 'discriminator':
        notEnforced(context, at, 'discriminator', 'the gateway does not select variants by tag');
        break;
      case 'allOf':
      case 'anyOf':
      case 'oneOf':
      case 'not':
        notEnforced(context, at, keyword, `${keyword} is not enforced by API Gateway models`);
        break;
      default:
        notEnforced(
          context,
          at,
          keyword,
          `${keyword} is not part of the draft-4 subset API Gateway supports`,
        );
    }
  }

  // additionalProperties only looks at sibling properties and patternProperties; without the latter it would
  // reject names Ajv accepts.
  if (result.additionalProperties !== undefined && 'patternProperties' in schema) {
    delete result.additionalProperties;
    notEnforced(
      context,
      `${location}/additionalProperties`,
      'additionalProperties',
      'dropped with patternProperties',
    );
  }
  // In 2020-12, items applies after prefixItems; in draft-4 it would apply to every element.
  if (result.items !== undefined && 'prefixItems' in schema) {
    delete result.items;
    notEnforced(context, `${location}/items`, 'items', 'dropped with prefixItems');
  }
  return result;
}

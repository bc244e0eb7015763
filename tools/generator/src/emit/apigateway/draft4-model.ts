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

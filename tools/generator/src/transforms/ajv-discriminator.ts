// OpenAPI 3.1 Discriminator Object lowered to plain JSON Schema 2020-12 for Ajv: the tag picks exactly one
// variant through an if/then chain, so a payload is checked against the selected branch only and errors name that
// branch. Ajv's own `discriminator` option rejects mappings, anyOf and allOf-inherited tags, so it stays off.

import { ContractRuleError } from '../util/errors.js';
import { isObject, type JsonObject, type JsonValue, pointer, resolvePointer } from '../util/json.js';
import { mapSchema, schemaRef } from '../util/schema-walk.js';
import type { DiscriminatorSite } from './discriminator-mapping.js';
import { WRITE_VIEW_SUFFIX } from './read-write-views.js';

/** Suffix of the component that keeps an allOf-inheritance base's own constraints, without the dispatch. */
export const BASE_SUFFIX = '__base';

function variantsByRef(mapping: JsonObject): Map<string, string[]> {
  const byRef = new Map<string, string[]>();
  for (const [value, target] of Object.entries(mapping)) {
    const ref = String(target);
    byRef.set(ref, [...(byRef.get(ref) ?? []), value]);
  }
  return byRef;
}

/** Builds the dispatch: a check that the tag is one of the mapped values, then one if/then per variant. */
export function dispatchSchemas(tag: string, mapping: JsonObject): JsonObject[] {
  const byRef = variantsByRef(mapping);
  const allValues = [...byRef.values()].flat();
  const dispatch: JsonObject[] = [{ required: [tag], properties: { [tag]: { enum: allValues } } }];
  for (const [ref, values] of byRef) {
    const condition: JsonValue = values.length === 1 ? { const: values[0] as string } : { enum: values };
    // biome-ignore lint/suspicious/noThenProperty: `then` is the JSON Schema keyword, not a thenable.
    dispatch.push({ if: { required: [tag], properties: { [tag]: condition } }, then: { $ref: ref } });
  }
  return dispatch;
}

function lowerNode(node: JsonObject, location: string): JsonObject {
  const discriminator = node.discriminator;
  if (!isObject(discriminator)) return node;
  const { discriminator: _removed, oneOf, anyOf, ...rest } = node;
  const variants = oneOf ?? anyOf;
  if (variants === undefined) return rest; // allOf inheritance: handled on the component level.
  if (!isObject(discriminator.mapping)) {
    throw new ContractRuleError(
      `${location}/discriminator`,
      'expected an explicit mapping; run makeMappingsExplicit first.',
    );
  }
  const tag = String(discriminator.propertyName);
  const existing = Array.isArray(rest.allOf) ? rest.allOf : [];
  return { ...rest, allOf: [...existing, ...dispatchSchemas(tag, discriminator.mapping)] };
}

function splitInheritanceBase(schemas: JsonObject, baseName: string): void {
  const base = schemas[baseName];
  if (!isObject(base) || !isObject(base.discriminator)) return;
  const mapping = isObject(base.discriminator.mapping) ? base.discriminator.mapping : {};
  const { discriminator, ...ownConstraints } = base;
  if (Object.keys(mapping).length === 0) {
    // No schema inherits from the base: the discriminator only documents the tag.
    schemas[baseName] = ownConstraints;
    return;
  }
  const copyName = `${baseName}${BASE_SUFFIX}`;
  const baseRef = schemaRef(baseName);
  const copyRef = schemaRef(copyName);
  for (const schema of Object.values(schemas)) {
    if (!isObject(schema) || !Array.isArray(schema.allOf)) continue;
    schema.allOf = schema.allOf.map((part) =>
      isObject(part) && part.$ref === baseRef ? { $ref: copyRef } : part,
    );
  }
  schemas[copyName] = ownConstraints;
  schemas[baseName] = {
    allOf: [{ $ref: copyRef }, ...dispatchSchemas(String(discriminator.propertyName), mapping)],
  };
}

/**
 * Lowers every discriminator of the document in place. With allOf inheritance, the discriminator sits on base B and
 * the variants contain `allOf: [$ref B, ...]`. Then B's own constraints move to `B__base`, the variants inherit from
 * `B__base`, and B becomes `B__base` plus the dispatch, so a payload validated as B is checked as its variant.
 */
export function lowerDiscriminatorsForAjv(document: JsonObject, sites: DiscriminatorSite[]): void {
  const schemas = resolvePointer(document, '/components/schemas');
  if (!isObject(schemas)) return;
  for (const site of sites) {
    if (site.composition !== 'allOf') continue;
    const name = site.location.split('/')[3];
    if (name === undefined) continue;
    for (const baseName of [name, `${name}${WRITE_VIEW_SUFFIX}`]) splitInheritanceBase(schemas, baseName);
  }
  for (const [name, schema] of Object.entries(schemas)) {
    schemas[name] = mapSchema(schema as JsonValue, pointer('components', 'schemas', name), lowerNode);
  }
}

/** Lowers discriminators inside one schema tree (operation-level schemas outside components). */
export function lowerSchemaDiscriminators(schema: JsonValue, location: string): JsonValue {
  return mapSchema(schema, location, lowerNode);
}

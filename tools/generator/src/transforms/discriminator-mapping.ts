// OpenAPI 3.1 Discriminator Object: resolves every discriminator to an explicit, checked mapping
// from tag value to variant schema, so later transforms never fall back to schema names by accident.

import { ContractRuleError } from '../util/errors.js';
import { isObject, type JsonObject, type JsonValue, pointer, resolvePointer } from '../util/json.js';
import { forEachSchema, schemaRef, schemaRefName } from '../util/schema-walk.js';

export interface DiscriminatorVariant {
  /** The variant as written in oneOf/anyOf (a `$ref`), or the inheriting component for allOf inheritance. */
  ref: string;
  /** Tag values that select this variant. */
  values: string[];
  /** True when the variant schema itself already restricts the tag to exactly `values`. */
  pinnedByVariant: boolean;
}

export interface DiscriminatorSite {
  location: string;
  propertyName: string;
  /** `oneOf`/`anyOf` when the variants are listed; `allOf` when variants inherit the schema through allOf. */
  composition: 'oneOf' | 'anyOf' | 'allOf';
  variants: DiscriminatorVariant[];
}

function componentSchemas(document: JsonObject): JsonObject {
  const components = document.components;
  const schemas = isObject(components) ? components.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

/** Resolves a `$ref` chain between components; returns the final schema object. */
export function resolveSchemaRef(
  document: JsonObject,
  schema: JsonValue,
  seen = new Set<string>(),
): JsonValue {
  if (!isObject(schema) || typeof schema.$ref !== 'string') return schema;
  const name = schemaRefName(schema.$ref);
  if (name === undefined || seen.has(name)) return schema;
  seen.add(name);
  const target = componentSchemas(document)[name];
  return target === undefined ? schema : resolveSchemaRef(document, target, seen);
}

/**
 * Returns the values a schema allows for property `tag` (from `const` or `enum`, following `$ref` and `allOf`),
 * or undefined when nothing restricts them.
 */
export function ownTagValues(
  document: JsonObject,
  schema: JsonValue,
  tag: string,
  seen = new Set<JsonValue>(),
): JsonValue[] | undefined {
  if (!isObject(schema) || seen.has(schema)) return undefined;
  seen.add(schema);
  let values: JsonValue[] | undefined;
  const intersect = (next: JsonValue[] | undefined) => {
    if (next === undefined) return;
    values = values === undefined ? next : values.filter((value) => next.includes(value));
  };
  if (typeof schema.$ref === 'string') {
    const name = schemaRefName(schema.$ref);
    const target = name === undefined ? undefined : componentSchemas(document)[name];
    if (target !== undefined) intersect(ownTagValues(document, target, tag, seen));
  }
  const properties = schema.properties;
  if (isObject(properties) && properties[tag] !== undefined) {
    const property = resolveSchemaRef(document, properties[tag] as JsonValue);
    if (isObject(property)) {
      if (property.const !== undefined) intersect([property.const]);
      if (Array.isArray(property.enum)) intersect(property.enum.filter((value) => value !== null));
    }
  }
  if (Array.isArray(schema.allOf)) {
    for (const part of schema.allOf) intersect(ownTagValues(document, part, tag, seen));
  }
  return values;
}

function normalizeMappingTarget(target: string): string {
  return target.startsWith('#') ? target : schemaRef(target);
}

function sameValues(left: JsonValue[], right: string[]): boolean {
  return left.length === right.length && right.every((value) => left.includes(value));
}

function inheritingComponents(document: JsonObject, baseName: string): string[] {
  const baseRef = schemaRef(baseName);
  const names: string[] = [];
  for (const [name, schema] of Object.entries(componentSchemas(document))) {
    if (isObject(schema) && Array.isArray(schema.allOf)) {
      if (schema.allOf.some((part) => isObject(part) && part.$ref === baseRef)) names.push(name);
    }
  }
  return names;
}

function analyzeSite(document: JsonObject, schema: JsonObject, location: string): DiscriminatorSite {
  const discriminator = schema.discriminator;
  if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') {
    throw new ContractRuleError(
      `${location}/discriminator`,
      'a discriminator needs a string "propertyName".',
    );
  }
  const tag = discriminator.propertyName;
  const explicit = new Map<string, string[]>();
  if (discriminator.mapping !== undefined) {
    if (!isObject(discriminator.mapping)) {
      throw new ContractRuleError(`${location}/discriminator/mapping`, 'the mapping must be an object.');
    }
    for (const [value, target] of Object.entries(discriminator.mapping)) {
      if (typeof target !== 'string') {
        throw new ContractRuleError(
          `${location}/discriminator/mapping${pointer(value)}`,
          `mapping target must be a string, got ${JSON.stringify(target)}.`,
        );
      }
      const ref = normalizeMappingTarget(target);
      explicit.set(ref, [...(explicit.get(ref) ?? []), value]);
    }
  }

  let composition: DiscriminatorSite['composition'];
  let refs: string[];
  if (Array.isArray(schema.oneOf) || Array.isArray(schema.anyOf)) {
    composition = Array.isArray(schema.oneOf) ? 'oneOf' : 'anyOf';
    const listed = (schema[composition] as JsonValue[]) ?? [];
    refs = listed.map((variant, index) => {
      if (!isObject(variant) || typeof variant.$ref !== 'string') {
        throw new ContractRuleError(
          `${location}/${composition}/${index}`,
          `a discriminated ${composition} must list $ref variants; move the inline schema to components.schemas.`,
        );
      }
      return variant.$ref;
    });
  } else {
    composition = 'allOf';
    const baseName = location.startsWith('/components/schemas/') ? location.split('/')[3] : undefined;
    if (baseName === undefined || location.split('/').length !== 4) {
      throw new ContractRuleError(
        `${location}/discriminator`,
        'a discriminator without oneOf/anyOf must sit on a component schema that variants inherit through allOf.',
      );
    }
    refs = inheritingComponents(document, baseName).map(schemaRef);
    for (const ref of explicit.keys()) if (!refs.includes(ref)) refs.push(ref);
  }

  const variants: DiscriminatorVariant[] = [];
  const seenValues = new Map<string, string>();
  for (const ref of refs) {
    const name = schemaRefName(ref);
    const target = name === undefined ? undefined : componentSchemas(document)[name];
    if (name === undefined || target === undefined) {
      throw new ContractRuleError(
        `${location}/discriminator`,
        `variant ${ref} does not resolve to a component schema.`,
      );
    }
    const own = ownTagValues(document, target, tag);
    let values = explicit.get(ref);
    if (values === undefined) {
      // Implicit mapping: a variant that restricts the tag itself is selected by those values. Only a variant
      // that leaves the tag open falls back to its component name, as OpenAPI's implicit mapping does.
      values = own !== undefined ? own.map(String) : [name];
    }
    if (own !== undefined) {
      const impossible = values.filter((value) => !own.includes(value));
      if (impossible.length > 0) {
        throw new ContractRuleError(
          `${location}/discriminator`,
          `tag value(s) ${impossible.map((v) => JSON.stringify(v)).join(', ')} select ${ref}, but that schema only ` +
            `allows ${tag} = ${own.map((v) => JSON.stringify(v)).join(', ')}. Align the mapping with the variant's enum.`,
        );
      }
    }
    for (const value of values) {
      const previous = seenValues.get(value);
      if (previous !== undefined && previous !== ref) {
        throw new ContractRuleError(
          `${location}/discriminator`,
          `tag value ${JSON.stringify(value)} selects both ${previous} and ${ref}.`,
        );
      }
      seenValues.set(value, ref);
    }
    variants.push({ ref, values, pinnedByVariant: own !== undefined && sameValues(own, values) });
  }
  return { location, propertyName: tag, composition, variants };
}

/** Finds every discriminator in the components and operations of a (3.1-dialect) document. */
export function findDiscriminators(document: JsonObject): DiscriminatorSite[] {
  const sites: DiscriminatorSite[] = [];
  for (const [name, schema] of Object.entries(componentSchemas(document))) {
    forEachSchema(schema, pointer('components', 'schemas', name), (node, location) => {
      if (node.discriminator !== undefined) sites.push(analyzeSite(document, node, location));
    });
  }
  return sites;
}

/** Writes the full mapping (every value of every variant) into each discriminator object, in place. */
export function makeMappingsExplicit(document: JsonObject, sites: DiscriminatorSite[]): void {
  for (const site of sites) {
    const node = resolvePointer(document, site.location);
    if (!isObject(node) || !isObject(node.discriminator)) continue;
    const mapping: JsonObject = {};
    for (const variant of site.variants) for (const value of variant.values) mapping[value] = variant.ref;
    node.discriminator = { ...node.discriminator, mapping };
  }
}

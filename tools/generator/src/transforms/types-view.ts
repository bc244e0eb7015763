// OpenAPI 3.1 Schema and Discriminator Objects, prepared for openapi-typescript 7. Discriminator variants carry the
// tag literals from the mapping or the variant's own enum/const, never a schema name. Object types whose named
// properties do not fit their additionalProperties type get a widened index signature.

import { mapDocumentSchemas } from '../util/document-schemas.js';
import { isObject, type JsonObject, type JsonValue, resolvePointer } from '../util/json.js';
import { mapSchema, schemaRefName } from '../util/schema-walk.js';
import { type DiscriminatorSite, ownTagValues } from './discriminator-mapping.js';
import { WRITE_VIEW_SUFFIX } from './read-write-views.js';

function tagPin(tag: string, values: string[]): JsonObject {
  return { type: 'object', required: [tag], properties: { [tag]: { type: 'string', enum: values } } };
}

function sameValues(left: JsonValue[] | undefined, right: string[]): boolean {
  return left !== undefined && left.length === right.length && right.every((value) => left.includes(value));
}

/**
 * Replaces `discriminator` by explicit literal types: openapi-typescript 7.13 would otherwise inject the schema
 * name as the tag type (`kind: "TextComment"`), or intersect it with the variant's own enum into `never`.
 * Expects explicit mappings (see discriminator-mapping.ts).
 */
export function pinDiscriminatorsForTypes(document: JsonObject, sites: DiscriminatorSite[]): void {
  const schemas = resolvePointer(document, '/components/schemas');
  if (!isObject(schemas)) return;
  for (const site of sites) {
    if (site.composition !== 'allOf') continue;
    for (const variant of site.variants) {
      const name = schemaRefName(variant.ref);
      for (const target of [name, `${name}${WRITE_VIEW_SUFFIX}`]) {
        const schema = target === undefined ? undefined : schemas[target];
        if (!isObject(schema) || !Array.isArray(schema.allOf)) continue;
        if (sameValues(ownTagValues(document, schema, site.propertyName), variant.values)) continue;
        schema.allOf = [...schema.allOf, tagPin(site.propertyName, variant.values)];
      }
    }
  }
  const strip = (schema: JsonValue): JsonValue =>
    mapSchema(schema, '', (node) => {
      if (!isObject(node.discriminator)) return node;
      const { discriminator, ...rest } = node;
      const tag = String(discriminator.propertyName);
      const mapping = isObject(discriminator.mapping) ? discriminator.mapping : {};
      for (const keyword of ['oneOf', 'anyOf'] as const) {
        const variants = rest[keyword];
        if (!Array.isArray(variants)) continue;
        rest[keyword] = variants.map((variant) => {
          if (!isObject(variant) || typeof variant.$ref !== 'string') return variant;
          const values = Object.entries(mapping)
            .filter(([, target]) => target === variant.$ref)
            .map(([value]) => value);
          if (values.length === 0 || sameValues(ownTagValues(document, variant, tag), values)) return variant;
          return { allOf: [variant, tagPin(tag, values)] };
        });
      }
      return rest;
    });
  mapDocumentSchemas(document, strip);
}

/**
 * Widens `additionalProperties` to the union of itself and every named property type, so the emitted index
 * signature accepts the named properties (TypeScript rule TS2411). Validation is unchanged: this view only
 * feeds the type generator.
 */
export function widenIndexSignatures(document: JsonObject): void {
  const widen = (schema: JsonValue): JsonValue =>
    mapSchema(schema, '', (node) => {
      const extra = node.additionalProperties;
      if (!isObject(node.properties) || !isObject(extra)) return node;
      const named = Object.values(node.properties);
      if (named.length === 0) return node;
      return { ...node, additionalProperties: { anyOf: [extra, ...named] } };
    });
  mapDocumentSchemas(document, widen);
}

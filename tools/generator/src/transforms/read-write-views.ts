// OpenAPI 3.1 Schema Object, "readOnly"/"writeOnly" (JSON Schema Validation 2020-12 meta-data): splits each affected
// component into a read view (responses) and a write view (request bodies and parameters).
//
// Read view `X`: writeOnly properties are removed, readOnly ones kept (and stay required if listed).
// Write view `XWrite`: readOnly properties are removed; references point at write views.
// `required` therefore applies per direction: a readOnly required property is required in responses only.

import { directionOf, mapDocumentSchemas } from '../util/document-schemas.js';
import { ContractRuleError } from '../util/errors.js';
import { clone, isObject, type JsonObject, type JsonValue, pointer } from '../util/json.js';
import { forEachSchema, mapSchema, schemaRef, schemaRefName } from '../util/schema-walk.js';

export type Direction = 'read' | 'write';

export const WRITE_VIEW_SUFFIX = 'Write';

export interface ViewResult {
  document: JsonObject;
  /** Write-view component name → the component it was derived from. */
  writeViews: Map<string, string>;
}

interface AccessFlags {
  readOnly: boolean;
  writeOnly: boolean;
}

function components(document: JsonObject): JsonObject {
  const container = document.components;
  const schemas = isObject(container) ? container.schemas : undefined;
  return isObject(schemas) ? schemas : {};
}

/** readOnly/writeOnly of a property schema, looking through `$ref` and a single-entry `allOf`. */
export function accessFlags(document: JsonObject, schema: JsonValue, seen = new Set<string>()): AccessFlags {
  const flags: AccessFlags = { readOnly: false, writeOnly: false };
  if (!isObject(schema)) return flags;
  flags.readOnly = schema.readOnly === true;
  flags.writeOnly = schema.writeOnly === true;
  let target: JsonValue | undefined;
  const name = schemaRefName(schema.$ref);
  if (name !== undefined && !seen.has(name)) {
    seen.add(name);
    target = components(document)[name];
  } else if (Array.isArray(schema.allOf) && schema.allOf.length === 1) {
    target = schema.allOf[0];
  }
  if (target !== undefined) {
    const inner = accessFlags(document, target, seen);
    flags.readOnly ||= inner.readOnly;
    flags.writeOnly ||= inner.writeOnly;
  }
  return flags;
}

function referencedComponents(schema: JsonValue): string[] {
  const names: string[] = [];
  forEachSchema(schema, '', (node) => {
    const name = schemaRefName(node.$ref);
    if (name !== undefined) names.push(name);
    if (isObject(node.discriminator) && isObject(node.discriminator.mapping)) {
      for (const target of Object.values(node.discriminator.mapping)) {
        const mapped = schemaRefName(target);
        if (mapped !== undefined) names.push(mapped);
      }
    }
  });
  return names;
}

function hasDirectionalProperty(document: JsonObject, schema: JsonValue): boolean {
  let found = false;
  forEachSchema(schema, '', (node) => {
    if (!isObject(node.properties)) return;
    for (const property of Object.values(node.properties)) {
      const flags = accessFlags(document, property);
      if (flags.readOnly || flags.writeOnly) found = true;
    }
  });
  return found;
}

/** Components whose read and write views differ: they, or a component they reference, have readOnly/writeOnly properties. */
export function componentsNeedingWriteView(document: JsonObject): Set<string> {
  const schemas = components(document);
  const needing = new Set<string>();
  const references = new Map<string, string[]>();
  for (const [name, schema] of Object.entries(schemas)) {
    references.set(name, referencedComponents(schema as JsonValue));
    if (hasDirectionalProperty(document, schema as JsonValue)) needing.add(name);
  }
  let changed = true;
  while (changed) {
    changed = false;
    for (const [name, targets] of references) {
      if (!needing.has(name) && targets.some((target) => needing.has(target))) {
        needing.add(name);
        changed = true;
      }
    }
  }
  return needing;
}

/** Builds one direction's view of a schema tree. */
export function viewSchema(
  document: JsonObject,
  schema: JsonValue,
  direction: Direction,
  needingWriteView: Set<string>,
): JsonValue {
  const writeRef = (ref: JsonValue): JsonValue => {
    const name = schemaRefName(ref);
    return name !== undefined && needingWriteView.has(name) ? schemaRef(`${name}${WRITE_VIEW_SUFFIX}`) : ref;
  };
  return mapSchema(clone(schema), '', (node) => {
    const result: JsonObject = { ...node };
    if (direction === 'write') {
      if (result.$ref !== undefined) result.$ref = writeRef(result.$ref);
      if (isObject(result.discriminator) && isObject(result.discriminator.mapping)) {
        const mapping: JsonObject = {};
        for (const [value, target] of Object.entries(result.discriminator.mapping))
          mapping[value] = writeRef(target);
        result.discriminator = { ...result.discriminator, mapping };
      }
    }
    if (isObject(result.properties)) {
      const kept: JsonObject = {};
      const removed: string[] = [];
      for (const [name, property] of Object.entries(result.properties)) {
        const flags = accessFlags(document, property);
        const drop = direction === 'read' ? flags.writeOnly : flags.readOnly;
        if (drop) removed.push(name);
        else kept[name] = property;
      }
      if (removed.length > 0) {
        result.properties = kept;
        if (Array.isArray(result.required)) {
          result.required = result.required.filter((name) => !removed.includes(String(name)));
          if (result.required.length === 0) delete result.required;
        }
      }
    }
    return result;
  });
}

/**
 * Splits components into read and write views and points every request root at the write views. Write views
 * no request reaches are left out.
 */
export function splitReadWriteViews(input: JsonObject): ViewResult {
  const document = clone(input);
  const needing = componentsNeedingWriteView(document);
  const schemas = components(document);
  const writeViews = new Map<string, string>();
  const rebuilt: JsonObject = {};
  for (const [name, schema] of Object.entries(schemas)) {
    rebuilt[name] = viewSchema(input, schema as JsonValue, 'read', needing);
    if (!needing.has(name)) continue;
    const writeName = `${name}${WRITE_VIEW_SUFFIX}`;
    if (writeName in schemas) {
      throw new ContractRuleError(
        pointer('components', 'schemas', writeName),
        `this name is reserved for the write view of ${name} (it has readOnly/writeOnly properties); rename the schema.`,
      );
    }
    rebuilt[writeName] = viewSchema(input, schema as JsonValue, 'write', needing);
    writeViews.set(writeName, name);
  }
  mapDocumentSchemas(document, (schema, location) => {
    const direction = directionOf(location);
    if (direction === 'component') return schema;
    return viewSchema(input, schema, direction === 'request' ? 'write' : 'read', needing);
  });
  // Keep only write views that a request reaches; the others would be unused types and validators.
  const reached = new Set<string>();
  const pending: string[] = [];
  const visitRefs = (schema: JsonValue) => {
    for (const name of referencedComponents(schema)) {
      if (!reached.has(name)) {
        reached.add(name);
        pending.push(name);
      }
    }
  };
  mapDocumentSchemas(document, (schema, location) => {
    if (directionOf(location) === 'request') visitRefs(schema);
    return schema;
  });
  while (pending.length > 0) {
    const name = pending.pop() as string;
    const schema = rebuilt[name];
    if (schema !== undefined) visitRefs(schema);
  }
  for (const writeName of [...writeViews.keys()]) {
    if (reached.has(writeName)) continue;
    delete rebuilt[writeName];
    writeViews.delete(writeName);
  }
  if (isObject(document.components)) document.components.schemas = rebuilt;
  return { document, writeViews };
}

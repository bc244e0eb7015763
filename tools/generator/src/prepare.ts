// The shared front of the pipeline: one OpenAPI 3.1-dialect document with explicit discriminator mappings and
// read/write views, from which every output is derived.

import {
  type DiscriminatorSite,
  findDiscriminators,
  makeMappingsExplicit,
} from './transforms/discriminator-mapping.js';
import { convertOpenApi30Document } from './transforms/openapi30-schema.js';
import { splitReadWriteViews } from './transforms/read-write-views.js';
import { pinDiscriminatorsForTypes, widenIndexSignatures } from './transforms/types-view.js';
import { clone, type JsonObject } from './util/json.js';

export interface PreparedContract {
  /** The bundled document as written (3.0 or 3.1): the source of generated/openapi.json. */
  source: JsonObject;
  /** 3.1 dialect with explicit discriminator mappings and read/write views. */
  views: JsonObject;
  discriminators: DiscriminatorSite[];
  /** Write-view component name → the component it was derived from. */
  writeViews: Map<string, string>;
}

export function prepareContract(source: JsonObject): PreparedContract {
  const normalized = convertOpenApi30Document(clone(source));
  const discriminators = findDiscriminators(normalized);
  makeMappingsExplicit(normalized, discriminators);
  const { document: views, writeViews } = splitReadWriteViews(normalized);
  return { source, views, discriminators, writeViews };
}

/** Builds the document handed to openapi-typescript. */
export function typesDocument(prepared: PreparedContract): JsonObject {
  const document = clone(prepared.views);
  pinDiscriminatorsForTypes(document, prepared.discriminators);
  widenIndexSignatures(document);
  return document;
}

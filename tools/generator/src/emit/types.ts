// TypeScript declarations from the prepared OpenAPI 3.1 document, printed by openapi-typescript 7.13.

import type { OpenAPI3 } from 'openapi-typescript';
import openapiTS, { astToString } from 'openapi-typescript';
import { tsHeader } from '../util/header.js';
import type { JsonObject } from '../util/json.js';

export async function emitTypes(typesDocument: JsonObject): Promise<string> {
  const nodes = await openapiTS(typesDocument as unknown as OpenAPI3, {
    silent: true,
    alphabetize: false,
    enum: false,
    exportType: false,
    // An object without `additionalProperties` gets no index signature; extra keys are a validator concern.
    additionalProperties: false,
  });
  const body = astToString(nodes);
  const aliases = [
    '',
    "export type Schemas = components['schemas'];",
    'export type Schema<Name extends keyof Schemas> = Schemas[Name];',
    '',
  ].join('\n');
  return `${tsHeader()}${body}${aliases}`;
}

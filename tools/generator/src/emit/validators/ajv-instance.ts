// The Ajv 8 configuration (JSON Schema 2020-12 dialect) shared by the standalone build and in-process compiles,
// so both give the same verdicts.

import { _, Ajv2020, type Options } from 'ajv/dist/2020.js';
import { formats } from '../../runtime/formats.js';

/** OpenAPI annotation keywords that JSON Schema 2020-12 does not define; they never affect validation. */
export const OPENAPI_ANNOTATIONS = ['example', 'xml', 'externalDocs'];

export type AjvKind = 'data' | 'parameters';

/** Module specifier the standalone code uses to load the formats; the bundler maps it to runtime/formats.ts. */
export const FORMATS_MODULE = 'katapp-validator-formats';

export function createAjv(
  kind: AjvKind,
  extensionKeywords: string[],
  options: { standalone: boolean },
): Ajv2020 {
  const ajvOptions: Options = {
    // Unknown keywords fail the build (a typo such as maxLenght), but type and tuple rules stay at their defaults
    // because valid contract schemas (for example `required` inside an if/then dispatch) trip them.
    strict: true,
    strictTypes: false,
    strictTuples: false,
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: true,
    inlineRefs: false,
    discriminator: false,
    // Only parameters arrive as strings; a JSON body's "5" must stay invalid for an integer.
    coerceTypes: kind === 'parameters' ? 'array' : false,
    formats: {},
  };
  if (options.standalone) {
    ajvOptions.code = {
      source: true,
      esm: false,
      lines: false,
      formats: _`require(${FORMATS_MODULE}).formats`,
    };
  }
  const ajv = new Ajv2020(ajvOptions);
  for (const [name, definition] of Object.entries(formats)) ajv.addFormat(name, definition as never);
  for (const keyword of [...OPENAPI_ANNOTATIONS, ...extensionKeywords]) ajv.addKeyword({ keyword });
  return ajv;
}

// Loads the OpenAPI document and bundles every external $ref into components (OpenAPI 3.1 Reference Object).

import { bundle, createConfig } from '@redocly/openapi-core';
import { ContractRuleError, GeneratorError } from '../util/errors.js';
import { isObject, type JsonObject } from '../util/json.js';

export interface LoadedOpenApi {
  /** The bundled document: one JSON tree with local `#/components/...` references only. */
  document: JsonObject;
  /** Absolute paths of every file the bundle read, for the rerun stamp. */
  files: string[];
}

export async function loadOpenApi(path: string): Promise<LoadedOpenApi> {
  const config = await createConfig({});
  const result = await bundle({ ref: path, config, dereference: false, removeUnusedComponents: false });
  const errors = result.problems.filter((problem) => problem.severity === 'error');
  if (errors.length > 0) {
    const lines = errors.map((problem) => {
      const where = problem.location[0];
      return `- ${where ? `${where.source.absoluteRef}#${where.pointer}: ` : ''}${problem.message}`;
    });
    throw new GeneratorError(`Bundling ${path} failed:\n${lines.join('\n')}`);
  }
  const document = result.bundle.parsed as unknown;
  if (!isObject(document)) throw new ContractRuleError(path, 'the document root must be an object.');
  const version = document.openapi;
  if (typeof version !== 'string' || !/^3\.[01]\.\d+$/.test(version)) {
    throw new ContractRuleError(
      `${path}#/openapi`,
      `unsupported OpenAPI version ${JSON.stringify(version)}; expected 3.0.x or 3.1.x.`,
    );
  }
  return { document, files: [...result.fileDependencies].sort() };
}

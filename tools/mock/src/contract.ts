// Prepares the contract the mock serves: api/openapi.yaml bundled into one JSON file by Redocly.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleDocument } from '../../docs/src/redocly.js';

export interface MockContract {
  /** Path of the bundled JSON document Prism loads. */
  path: string;
  /** Every parameter name the contract declares, keyed by its lower-case form. */
  parameterNames: Map<string, string>;
  /** Removes the temporary folder that contains the bundle. */
  remove: () => Promise<void>;
}

const PARAMETER_LOCATIONS = new Set(['query', 'path', 'header', 'cookie']);

/**
 * Collects the `name` of every parameter object in an OpenAPI document, inline or under components:
 * any object whose `in` is a parameter location and whose `name` is a string.
 */
export function collectParameterNames(document: unknown): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (node: unknown) => {
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (
      typeof record.name === 'string' &&
      typeof record.in === 'string' &&
      PARAMETER_LOCATIONS.has(record.in)
    ) {
      names.set(record.name.toLowerCase(), record.name);
    }
    for (const child of Object.values(record)) visit(child);
  };
  visit(document);
  return names;
}

/** Bundles `openapiPath` into a fresh temporary folder. */
export async function prepareMockContract(openapiPath: string): Promise<MockContract> {
  const directory = await mkdtemp(join(tmpdir(), 'katapp-mock-'));
  const path = join(directory, 'openapi.json');
  try {
    await bundleDocument(openapiPath, path);
    const document: unknown = JSON.parse(await readFile(path, 'utf8'));
    return {
      path,
      parameterNames: collectParameterNames(document),
      remove: () => rm(directory, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }
}

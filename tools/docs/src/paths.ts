// Locations the docs build and the mock share, resolved from this file so any working directory works.

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

export const openapiPath = join(repositoryRoot, 'api/openapi.yaml');
export const asyncapiPath = join(repositoryRoot, 'asyncapi/asyncapi.yaml');

/** Hand-written sources of the API docs site: the landing page template and the Swagger UI page. */
export const siteSourceDirectory = join(repositoryRoot, 'site/api');
/** Build output of the API docs site; the infra uploads it and the local platform serves it. */
export const siteOutputDirectory = join(repositoryRoot, 'site/dist/api');

/** Returns the path of an executable that npm installed into the root node_modules/.bin. */
export function binPath(name: string): string {
  return join(repositoryRoot, 'node_modules/.bin', name);
}

// Assembles the Swagger UI view: our own page and initializer, the few swagger-ui-dist files they load,
// and a copy of the bundled contract whose `servers` point "Try it out" at one API base URL.

import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { repositoryRoot, siteSourceDirectory } from './paths.js';

/** Files taken from swagger-ui-dist: the UI bundle, its stylesheet, an icon and the licence texts. */
const SWAGGER_UI_FILES = ['swagger-ui-bundle.js', 'swagger-ui.css', 'favicon-32x32.png', 'LICENSE', 'NOTICE'];

/** Files of our own from site/api/swagger. */
const OWN_FILES = ['index.html', 'initializer.js'];

interface OpenApiServer {
  url: string;
  description?: string;
}

/** Returns the contract with `servers` replaced by the one base URL that "Try it out" should call. */
export function withTryItOutServer(
  contract: Record<string, unknown>,
  apiUrl: string,
): Record<string, unknown> {
  const server: OpenApiServer = {
    url: apiUrl,
    description: 'API that "Try it out" calls (set with KATAPP_API_URL when the docs are built).',
  };
  return { ...contract, servers: [server] };
}

/** Writes the Swagger UI view into `outputDirectory` (the site's swagger/ folder). */
export async function writeSwaggerView(
  outputDirectory: string,
  bundledContractPath: string,
  apiUrl: string,
): Promise<void> {
  await mkdir(outputDirectory, { recursive: true });
  const distDirectory = join(repositoryRoot, 'node_modules/swagger-ui-dist');
  for (const file of SWAGGER_UI_FILES) await copyFile(join(distDirectory, file), join(outputDirectory, file));
  for (const file of OWN_FILES) {
    await copyFile(join(siteSourceDirectory, 'swagger', file), join(outputDirectory, file));
  }

  const contract = JSON.parse(await readFile(bundledContractPath, 'utf8')) as Record<string, unknown>;
  const copy = withTryItOutServer(contract, apiUrl);
  await writeFile(join(outputDirectory, 'openapi.json'), `${JSON.stringify(copy, null, 2)}\n`);
}

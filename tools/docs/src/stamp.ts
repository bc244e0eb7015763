// The rebuild stamp: a SHA-256 over every input of the docs site. An equal stamp means a rebuild would
// produce the same pages, so `make docs` can skip it.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { repositoryRoot } from './paths.js';

export const STAMP_FILE = '.build-stamp';

/** Packages whose version changes the rendered pages. */
const RENDERING_PACKAGES = ['@redocly/cli', 'swagger-ui-dist'];

/** Folders whose files are inputs besides the contract: the page sources and this build's code. */
const SOURCE_DIRECTORIES = ['site/api', 'tools/docs/src'];

async function listFiles(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return [];
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/**
 * Computes the stamp of the contract folders (every file in them counts, because the contract is split
 * into many files), the page sources, and the settings that end up in the output.
 */
export async function computeStamp(
  contractDirectories: string[],
  settings: Record<string, string>,
): Promise<string> {
  const hash = createHash('sha256');
  const directories = [
    ...contractDirectories,
    ...SOURCE_DIRECTORIES.map((path) => join(repositoryRoot, path)),
  ];
  for (const directory of directories) {
    for (const file of await listFiles(directory)) {
      hash.update(`${relative(repositoryRoot, file)}\0`);
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  for (const name of RENDERING_PACKAGES) {
    const manifestPath = join(repositoryRoot, 'node_modules', name, 'package.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as { version: string };
    hash.update(`${name}@${manifest.version}\0`);
  }
  for (const [key, value] of Object.entries(settings).sort()) hash.update(`${key}=${value}\0`);
  return hash.digest('hex');
}

/** Returns the stamp stored in an output folder, or undefined when there is none. */
export async function readStamp(outputDirectory: string): Promise<string | undefined> {
  const path = join(outputDirectory, STAMP_FILE);
  return existsSync(path) ? (await readFile(path, 'utf8')).trim() : undefined;
}

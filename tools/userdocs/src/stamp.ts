// The rebuild stamp of the user documentation: a SHA-256 over the page sources, the build code, the VitePress
// version and the build settings, plus whether the build ran without a network. An equal stamp means a rebuild
// would produce the same site.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { networkInterfaces } from 'node:os';
import { join, relative } from 'node:path';
import { docsSourceDirectory, repositoryRoot } from './paths.js';

export const STAMP_FILE = '.build-stamp.json';

export interface BuildStamp {
  /** SHA-256 over every input. */
  inputs: string;
  /** True when the build ran with no network interface except loopback, e.g. inside `unshare -rn`. */
  offline: boolean;
  /** Wall-clock time of the VitePress build in milliseconds. */
  durationMs: number;
  builtAt: string;
}

const BUILD_CODE_DIRECTORY = join(repositoryRoot, 'tools/userdocs/src');

async function listFiles(directory: string): Promise<string[]> {
  if (!existsSync(directory)) return [];
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Hashes the page sources, the build code, the VitePress version and the settings that reach the output. */
export async function computeInputsHash(settings: Record<string, string>): Promise<string> {
  const hash = createHash('sha256');
  for (const directory of [docsSourceDirectory, BUILD_CODE_DIRECTORY]) {
    for (const file of await listFiles(directory)) {
      hash.update(`${relative(repositoryRoot, file)}\0`);
      hash.update(await readFile(file));
      hash.update('\0');
    }
  }
  const manifest = JSON.parse(
    await readFile(join(repositoryRoot, 'node_modules/vitepress/package.json'), 'utf8'),
  ) as { version: string };
  hash.update(`vitepress@${manifest.version}\0`);
  for (const [key, value] of Object.entries(settings).sort(([a], [b]) => (a < b ? -1 : 1))) {
    hash.update(`${key}=${value}\0`);
  }
  return hash.digest('hex');
}

/** Tells whether this process has no network interface other than loopback. */
export function runsWithoutNetwork(): boolean {
  return Object.values(networkInterfaces())
    .flat()
    .every((address) => address === undefined || address.internal);
}

export async function readStamp(outputDirectory: string): Promise<BuildStamp | undefined> {
  const path = join(outputDirectory, STAMP_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(await readFile(path, 'utf8')) as BuildStamp;
  } catch {
    return undefined;
  }
}

export async function writeStamp(outputDirectory: string, stamp: BuildStamp): Promise<void> {
  await writeFile(join(outputDirectory, STAMP_FILE), `${JSON.stringify(stamp, null, 2)}\n`);
}

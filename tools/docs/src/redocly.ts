// Runs the Redocly CLI (bundle and build-docs) as a child process with telemetry and update checks off.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { binPath, repositoryRoot } from './paths.js';

const execFileAsync = promisify(execFile);

/** Environment for every Redocly run: no usage reports, no update notice, the project's Node first on PATH. */
function redoclyEnvironment(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${binPath('')}:${process.env.PATH ?? ''}`,
    REDOCLY_TELEMETRY: 'off',
    REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
  };
}

/** Runs `redocly <args>` in the repository root and raises an error with Redocly's output if it fails. */
export async function runRedocly(args: string[]): Promise<void> {
  try {
    await execFileAsync(binPath('redocly'), args, {
      cwd: repositoryRoot,
      env: redoclyEnvironment(),
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const output = error as { stdout?: string; stderr?: string };
    throw new Error(
      `redocly ${args.join(' ')} failed:\n${output.stderr ?? ''}${output.stdout ?? ''}`.trimEnd(),
      { cause: error },
    );
  }
}

export interface BundleOptions {
  /** Replace every $ref with the schema it points at. Default: false (keep internal refs). */
  dereferenced?: boolean;
}

/** Bundles a split OpenAPI or AsyncAPI document into one JSON file at `outputPath`. */
export async function bundleDocument(
  sourcePath: string,
  outputPath: string,
  options: BundleOptions = {},
): Promise<void> {
  const args = ['bundle', sourcePath, '--output', outputPath, '--ext', 'json'];
  if (options.dereferenced) args.push('--dereferenced');
  await runRedocly(args);
}

/** Renders one self-contained HTML page (Redoc scripts inlined, no CDN) for an OpenAPI or AsyncAPI document. */
export async function buildReferencePage(
  sourcePath: string,
  outputPath: string,
  title: string,
): Promise<void> {
  await runRedocly(['build-docs', sourcePath, '--inlineBundle', '--output', outputPath, '--title', title]);
}

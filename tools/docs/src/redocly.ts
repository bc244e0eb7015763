// Runs the Redocly CLI (bundle and build-docs) as a child process with telemetry and update checks off.

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
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

/**
 * Redoc 3 (Redocly CLI 2.77) draws its "API docs by Redocly" logo from cdn.redoc.ly in every page, with no
 * option to turn it off. Each such URL becomes this inline SVG, so opening the page sends no request to
 * another host. The attribution text and its link to redocly.com stay.
 */
const REDOCLY_CDN_IMAGE = /https:\/\/cdn\.redoc\.ly\/[^`'"\s)]*\.svg/g;
const INLINE_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="20" viewBox="0 0 96 20">' +
    '<text x="0" y="15" font-family="sans-serif" font-size="14" fill="#888">Redocly</text></svg>',
)}`;

/** Replaces every cdn.redoc.ly image URL in a rendered page; returns the page and the number of URLs replaced. */
export function inlineCdnImages(html: string): { html: string; replaced: number } {
  let replaced = 0;
  const result = html.replace(REDOCLY_CDN_IMAGE, () => {
    replaced += 1;
    return INLINE_LOGO;
  });
  return { html: result, replaced };
}

export type DocumentKind = 'openapi' | 'asyncapi';

/**
 * Renders one self-contained HTML page for an OpenAPI or AsyncAPI document: the Redoc scripts are inlined
 * (no CDN), the page's own usage reporting to Redocly is off, and the CDN logo is replaced.
 */
export async function buildReferencePage(
  kind: DocumentKind,
  sourcePath: string,
  outputPath: string,
  title: string,
): Promise<void> {
  await runRedocly([
    'build-docs',
    sourcePath,
    '--inlineBundle',
    '--output',
    outputPath,
    '--title',
    title,
    `--${kind}.disableTelemetry=true`,
  ]);
  const { html } = inlineCdnImages(await readFile(outputPath, 'utf8'));
  await writeFile(outputPath, html);
}

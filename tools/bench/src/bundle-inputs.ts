// Rebuilds a function bundle with the esbuild settings of infra's NodejsFunction construct and lists what takes
// its bytes, from esbuild's metafile. Run `tsx tools/bench/src/bundle-inputs.ts [function ...]` for a table.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { bundlingOptions } from '../../../infra/src/constructs/lambda-bundle.js';
import { repositoryPaths } from '../../../infra/src/paths.js';

/** Bytes one input contributes to the minified bundle, grouped by npm package or by repository folder. */
export interface BundleInput {
  name: string;
  bytes: number;
}

export interface BundleComposition {
  bytes: number;
  inputs: BundleInput[];
}

/** Maps the CDK bundling options (the subset infra sets) to esbuild's own build options. */
function esbuildOptions(tsconfig: string | undefined): BuildOptions {
  const options = bundlingOptions(tsconfig);
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: options.target,
    mainFields: options.mainFields,
    external: options.externalModules,
    minify: options.minify,
    ...(options.banner === undefined ? {} : { banner: { js: options.banner } }),
    ...(options.tsconfig === undefined ? {} : { tsconfig: options.tsconfig }),
  };
}

/** Groups an input path: `node_modules/<package>` becomes the package, our sources their top two folders. */
function inputGroup(path: string): string {
  const packageName = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1];
  if (packageName !== undefined) return packageName;
  return path
    .split('/')
    .slice(0, path.startsWith('handlers/src/') ? 3 : 2)
    .join('/');
}

/** Bundles `entry` in memory as infra does and returns the output size and its inputs, largest first. */
export async function bundleComposition(
  entry: string,
  tsconfig: string | undefined,
): Promise<BundleComposition> {
  const result = await build({
    ...esbuildOptions(tsconfig),
    entryPoints: [entry],
    absWorkingDir: repositoryPaths.root,
    outfile: 'index.mjs',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find(
    (candidate) => candidate.entryPoint !== undefined,
  );
  if (output === undefined) throw new Error(`esbuild produced no bundle for ${entry}.`);
  const groups = new Map<string, number>();
  for (const [path, input] of Object.entries(output.inputs)) {
    const name = inputGroup(path);
    groups.set(name, (groups.get(name) ?? 0) + input.bytesInOutput);
  }
  const inputs = [...groups].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes);
  return { bytes: output.bytes, inputs };
}

/** Returns the composition of a Lambda function's bundle by function name (`keygen` is infra's key generator). */
export function functionComposition(name: string): Promise<BundleComposition> {
  if (name === 'keygen') return bundleComposition(repositoryPaths.keygenEntry, undefined);
  return bundleComposition(repositoryPaths.functionEntry(name), repositoryPaths.handlersTsconfig);
}

/** Formats the largest inputs as `name 12.3 KiB, ...`. */
export function largestInputs(composition: BundleComposition, count: number): string {
  return composition.inputs
    .slice(0, count)
    .map((input) => `${input.name} ${(input.bytes / 1024).toFixed(1)} KiB`)
    .join(', ');
}

if (process.argv[1]?.endsWith('bundle-inputs.ts')) {
  const requested = process.argv.slice(2);
  const names =
    requested.length > 0
      ? requested
      : readdirSync(join(repositoryPaths.root, 'handlers/src/functions')).map((file) =>
          file.replace(/\.ts$/, ''),
        );
  for (const name of names) {
    const composition = await functionComposition(name);
    console.log(`${name}: ${composition.bytes} bytes; ${largestInputs(composition, 8)}`);
  }
}

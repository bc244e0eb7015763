/** Shared settings for every NodejsFunction of the app: Node 24 on arm64, ESM bundles built by local esbuild. */
import { existsSync } from 'node:fs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { repositoryPaths } from '../paths.js';

export const LAMBDA_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Reason for staying on nodejs24.x although aws-cdk-lib 2.278 includes nodejs26.x (cdk-nag AwsSolutions-L1). */
export const NODE_RUNTIME_REASON =
  'The project runs Node 24 everywhere (the local runtime, the tests and the bundles target node24); the Lambda runtime moves to a newer major together with them.';

/**
 * esbuild options for an ESM bundle. The banner gives bundled CommonJS dependencies a working `require`,
 * and `@aws-sdk/*` stays external because the nodejs24.x runtime ships SDK v3.
 */
export function bundlingOptions(tsconfig: string | undefined): nodejs.BundlingOptions {
  return {
    format: nodejs.OutputFormat.ESM,
    target: 'node24',
    mainFields: ['module', 'main'],
    banner: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    externalModules: ['@aws-sdk/*'],
    minify: true,
    sourceMap: true,
    sourcesContent: false,
    // esbuild is a root devDependency; Docker bundling would fail on machines without Docker.
    forceDockerBundling: false,
    ...(tsconfig !== undefined && existsSync(tsconfig) ? { tsconfig } : {}),
  };
}

/** Properties every function of the app shares: runtime, architecture, lock file and project root. */
export function commonFunctionProps(
  entry: string,
): Pick<
  nodejs.NodejsFunctionProps,
  'entry' | 'handler' | 'runtime' | 'architecture' | 'depsLockFilePath' | 'projectRoot'
> {
  if (!existsSync(entry)) {
    throw new Error(
      `Lambda entry file ${entry} does not exist. Every function needs handlers/src/functions/<name>.ts exporting "handler"; create it or pull the latest handlers.`,
    );
  }
  return {
    entry,
    handler: 'handler',
    runtime: LAMBDA_RUNTIME,
    architecture: lambda.Architecture.ARM_64,
    depsLockFilePath: repositoryPaths.lockFile,
    projectRoot: repositoryPaths.root,
  };
}

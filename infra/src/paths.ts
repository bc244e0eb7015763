/** Absolute paths of the repository folders that the CDK app reads at synth time. */

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, two levels above this file (infra/src). */
export const REPOSITORY_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const repositoryPaths = {
  root: REPOSITORY_ROOT,
  lockFile: path.join(REPOSITORY_ROOT, 'package-lock.json'),
  functionEntry: (name: string) => path.join(REPOSITORY_ROOT, 'handlers', 'src', 'functions', `${name}.ts`),
  handlersTsconfig: path.join(REPOSITORY_ROOT, 'handlers', 'tsconfig.json'),
  keygenEntry: path.join(REPOSITORY_ROOT, 'infra', 'src', 'keygen', 'index.ts'),
  restApiDefinition: path.join(REPOSITORY_ROOT, 'generated', 'apigateway', 'openapi.json'),
  webSocketRoutes: path.join(REPOSITORY_ROOT, 'generated', 'websocket', 'index.ts'),
  operationRoutes: path.join(REPOSITORY_ROOT, 'generated', 'operations', 'index.ts'),
  cdkJson: path.join(REPOSITORY_ROOT, 'infra', 'cdk.json'),
  siteBuilds: {
    dashboard: path.join(REPOSITORY_ROOT, 'dashboard', 'dist'),
    apidoc: path.join(REPOSITORY_ROOT, 'site', 'dist', 'api'),
    docs: path.join(REPOSITORY_ROOT, 'site', 'dist', 'docs'),
  },
} as const;

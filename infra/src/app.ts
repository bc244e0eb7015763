/**
 * Builds the CDK app of one stage: `KatApp-<stage>` in the stage region and, when a domain is configured,
 * `KatApp-<stage>-certificates` in us-east-1. bin/app.ts and the tests both call `buildApp`, so they
 * synthesize the same thing.
 */
import { readFileSync } from 'node:fs';
import { App, Aspects, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { CloudFrontCertificateRegionCheck } from './aspects/cloudfront-certificate-region.js';
import { PLACEHOLDER_ACCOUNT, resolveStageConfig, type StageConfig, type StageOverrides } from './config.js';
import { loadRestApiDefinition } from './contract/rest-definition.js';
import { loadWebSocketRouteTable } from './contract/websocket-routes.js';
import { repositoryPaths } from './paths.js';
import { CertificateStack } from './stacks/certificate-stack.js';
import { PlatformStack } from './stacks/platform-stack.js';

export interface BuildAppOptions {
  readonly stage: string;
  readonly overrides?: StageOverrides;
  /**
   * Cloud assembly folder.
   * @default - a temporary folder chosen by aws-cdk-lib (the CLI passes its own through CDK_OUTDIR)
   */
  readonly outdir?: string;
}

export interface KatAppAssembly {
  readonly app: App;
  readonly config: StageConfig;
  readonly account: string;
  readonly platform: PlatformStack;
  readonly certificates?: CertificateStack;
  /** The AwsSolutions pack registered on the app; `validateScope(stack)` lists unacknowledged findings. */
  readonly nag: AwsSolutionsChecks;
}

export const stackNames = (stage: string) => ({
  platform: `KatApp-${stage}`,
  certificates: `KatApp-${stage}-certificates`,
});

/** Reads the feature flags from infra/cdk.json, so an app built in a test behaves like the CLI's. */
export function featureFlags(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(repositoryPaths.cdkJson, 'utf8')) as {
    context?: Record<string, unknown>;
  };
  return cdkJson.context ?? {};
}

/** Returns the stage's account: the configured one, else the CLI's (CDK_DEFAULT_ACCOUNT), else the placeholder. */
export function resolveAccount(config: StageConfig): string {
  return config.account ?? process.env.CDK_DEFAULT_ACCOUNT ?? PLACEHOLDER_ACCOUNT;
}

export async function buildApp(options: BuildAppOptions): Promise<KatAppAssembly> {
  const config = resolveStageConfig(options.stage, options.overrides);
  const account = resolveAccount(config);
  const { definition } = loadRestApiDefinition(repositoryPaths.restApiDefinition);
  const webSocketRoutes = await loadWebSocketRouteTable(repositoryPaths.webSocketRoutes);

  const app = new App({
    outdir: options.outdir,
    analyticsReporting: false,
    // The built-in CloudFormation rule check runs a WASM engine that doubles synth time; cfn-lint checks the
    // same templates in the tests and in `make cfn-lint`.
    builtinCloudFormationValidation: false,
    context: featureFlags(),
  });
  const names = stackNames(config.stage);
  const certificates = config.domain
    ? new CertificateStack(app, names.certificates, {
        env: { account, region: 'us-east-1' },
        domain: config.domain,
        description: `KatApp ${config.stage}: certificate for the CloudFront sites`,
      })
    : undefined;
  const platform = new PlatformStack(app, names.platform, {
    env: { account, region: config.region },
    description: `KatApp ${config.stage}: API, functions, data, sites and deploy identities`,
    config,
    restApiDefinition: definition,
    webSocketRoutes,
    siteCertificate: certificates?.siteCertificate,
  });

  Tags.of(app).add('katapp:stage', config.stage);
  Tags.of(app).add('katapp:project', 'katapp-platform');
  Aspects.of(app).add(new CloudFrontCertificateRegionCheck());
  const nag = new AwsSolutionsChecks(app);
  Validations.of(app).addPlugins(nag);
  return { app, config, account, platform, certificates, nag };
}

/**
 * Typed configuration of the deployment stages. `dev` and `prod` share one shape, and `resolveStageConfig`
 * applies overrides (from the environment or a caller) and validates the result before any construct runs.
 */

export type StageName = 'dev' | 'prod';

export const STAGE_NAMES: readonly StageName[] = ['dev', 'prod'];

/**
 * Authentication of the CI pipelines against AWS.
 * - `github-oidc`: IAM roles that GitHub Actions assumes with its OIDC token; no long-lived keys.
 * - `iam-user`: IAM users whose access keys the stack stores in Secrets Manager.
 */
export type DeployIdentityKind = 'github-oidc' | 'iam-user';

/** Log levels understood by the Powertools logger in the handlers. */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/** A public DNS name for the stage, served from an existing Route 53 hosted zone. */
export interface DomainConfig {
  /** Apex of the stage's names, e.g. `katapp.example.org` gives `api.katapp.example.org`. */
  readonly name: string;
  /** Id of the public hosted zone whose name equals `name`. */
  readonly hostedZoneId: string;
}

export interface StageConfig {
  readonly stage: StageName;
  /**
   * AWS account id.
   * @default - the account of the CLI's credentials (CDK_DEFAULT_ACCOUNT), else PLACEHOLDER_ACCOUNT for offline synth
   */
  readonly account?: string;
  /** Region of the main stack. CloudFront certificates always go to us-east-1. */
  readonly region: string;
  /**
   * Public domain with its hosted zone.
   * @default - none: the stage uses the default CloudFront and execute-api endpoints and creates no DNS records
   */
  readonly domain?: DomainConfig;
  readonly deployIdentity: DeployIdentityKind;
  /** GitHub repository (`owner/name`) whose workflows may deploy this stage. */
  readonly githubRepository: string;
  /**
   * Whether this stack creates the account's GitHub OIDC provider or references an existing one. An AWS
   * account can have only one provider per issuer URL, so only one stage per account may create it.
   */
  readonly githubOidcProvider: 'create' | 'import';
  /** Retention of every CloudWatch log group of the stage, in days (a value CloudWatch Logs accepts). */
  readonly logRetentionDays: number;
  /** Days after which photos tagged `katapp:mode=drill` expire. */
  readonly drillObjectExpirationDays: number;
  /** Days after which noncurrent photo versions expire. */
  readonly noncurrentVersionExpirationDays: number;
  readonly logLevel: LogLevel;
  /** `retain` keeps tables, buckets and the signing key when the stack is deleted and turns on deletion protection. */
  readonly removalPolicy: 'destroy' | 'retain';
  /** Lifetime of access tokens that the auth functions issue, in seconds. */
  readonly accessTokenTtlSeconds: number;
  /** Steady-state request rate (requests per second) and burst of the REST and WebSocket stages. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  /**
   * Origins besides the dashboard's that may PUT photos to presigned URLs from a browser.
   * @default - none
   */
  readonly extraCorsOrigins?: readonly string[];
}

/**
 * Account id used when neither the configuration nor the CLI supplies one. It lets `make synth` run offline;
 * `make deploy` rejects it.
 */
export const PLACEHOLDER_ACCOUNT = '111111111111';

export const DEFAULT_REGION = 'eu-central-1';

// NOTE: githubRepository is a placeholder until the repository has its final GitHub name. Set it here or with
// KATAPP_GITHUB_REPOSITORY before the first deploy, because otherwise the OIDC trust matches no workflow.
const STAGES: Record<StageName, StageConfig> = {
  dev: {
    stage: 'dev',
    region: DEFAULT_REGION,
    deployIdentity: 'github-oidc',
    githubRepository: 'katapp/katapp-platform',
    githubOidcProvider: 'create',
    logRetentionDays: 14,
    drillObjectExpirationDays: 7,
    noncurrentVersionExpirationDays: 7,
    logLevel: 'DEBUG',
    removalPolicy: 'destroy',
    accessTokenTtlSeconds: 900,
    throttling: { rateLimit: 50, burstLimit: 100 },
  },
  prod: {
    stage: 'prod',
    region: DEFAULT_REGION,
    deployIdentity: 'github-oidc',
    githubRepository: 'katapp/katapp-platform',
    // prod shares dev's account unless `account` names another, and dev creates the provider there.
    githubOidcProvider: 'import',
    logRetentionDays: 365,
    drillObjectExpirationDays: 30,
    noncurrentVersionExpirationDays: 90,
    logLevel: 'INFO',
    removalPolicy: 'retain',
    accessTokenTtlSeconds: 900,
    throttling: { rateLimit: 500, burstLimit: 1000 },
  },
};

/** Retention values that CloudWatch Logs accepts for a log group, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** Values that callers may change without editing this file. */
export type StageOverrides = Partial<Omit<StageConfig, 'stage'>>;

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
}

/** Returns the validated configuration of `stage` with `overrides` applied. */
export function resolveStageConfig(stage: string, overrides: StageOverrides = {}): StageConfig {
  if (!isStageName(stage)) {
    throw new StageConfigError(`Unknown stage "${stage}": expected one of ${STAGE_NAMES.join(', ')}.`);
  }
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const config: StageConfig = { ...STAGES[stage], ...defined, stage };
  validateStageConfig(config);
  return config;
}

export function isStageName(value: string): value is StageName {
  return (STAGE_NAMES as readonly string[]).includes(value);
}

/**
 * Reads overrides from the environment: KATAPP_ACCOUNT, KATAPP_REGION, KATAPP_DOMAIN together with
 * KATAPP_HOSTED_ZONE_ID, KATAPP_DEPLOY_IDENTITY, KATAPP_GITHUB_REPOSITORY, KATAPP_GITHUB_OIDC_PROVIDER.
 */
export function overridesFromEnvironment(env: NodeJS.ProcessEnv): StageOverrides {
  const domainName = env.KATAPP_DOMAIN;
  const hostedZoneId = env.KATAPP_HOSTED_ZONE_ID;
  if ((domainName === undefined) !== (hostedZoneId === undefined)) {
    throw new StageConfigError(
      'KATAPP_DOMAIN and KATAPP_HOSTED_ZONE_ID must be set together: the stage creates its DNS records in that zone.',
    );
  }
  return {
    account: env.KATAPP_ACCOUNT,
    region: env.KATAPP_REGION,
    domain: domainName && hostedZoneId ? { name: domainName, hostedZoneId } : undefined,
    deployIdentity: env.KATAPP_DEPLOY_IDENTITY as DeployIdentityKind | undefined,
    githubRepository: env.KATAPP_GITHUB_REPOSITORY,
    githubOidcProvider: env.KATAPP_GITHUB_OIDC_PROVIDER as StageConfig['githubOidcProvider'] | undefined,
  };
}

function validateStageConfig(config: StageConfig): void {
  const problems: string[] = [];
  if (config.account !== undefined && !/^\d{12}$/.test(config.account)) {
    problems.push(`account "${config.account}" is not a 12-digit AWS account id`);
  }
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(config.region)) {
    problems.push(`region "${config.region}" is not an AWS region name such as eu-central-1`);
  }

  if (config.domain !== undefined) {
    if (!/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$/.test(config.domain.name)) {
      problems.push(`domain "${config.domain.name}" is not a lower-case DNS name such as katapp.example.org`);
    }
    if (!/^Z[A-Z0-9]{1,31}$/.test(config.domain.hostedZoneId)) {
      problems.push(
        `hostedZoneId "${config.domain.hostedZoneId}" is not a Route 53 zone id (Z followed by letters and digits)`,
      );
    }
  }

  if (!['github-oidc', 'iam-user'].includes(config.deployIdentity)) {
    problems.push(`deployIdentity "${config.deployIdentity}" must be "github-oidc" or "iam-user"`);
  }
  if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(config.githubRepository)) {
    problems.push(`githubRepository "${config.githubRepository}" must look like owner/name`);
  }
  if (!['create', 'import'].includes(config.githubOidcProvider)) {
    problems.push(`githubOidcProvider "${config.githubOidcProvider}" must be "create" or "import"`);
  }

  if (!LOG_RETENTION_DAYS.includes(config.logRetentionDays)) {
    problems.push(
      `logRetentionDays ${config.logRetentionDays} is not one of ${LOG_RETENTION_DAYS.join(', ')}`,
    );
  }
  for (const key of [
    'drillObjectExpirationDays',
    'noncurrentVersionExpirationDays',
    'accessTokenTtlSeconds',
  ] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) {
      problems.push(`${key} ${config[key]} must be a positive integer`);
    }
  }
  if (config.throttling.rateLimit <= 0 || config.throttling.burstLimit < 1) {
    problems.push('throttling.rateLimit must be above 0 and throttling.burstLimit at least 1');
  }

  for (const origin of config.extraCorsOrigins ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(origin)) {
      problems.push(
        `extraCorsOrigins entry "${origin}" must be an origin such as https://app.example.org (no path)`,
      );
    }
  }

  if (problems.length > 0) {
    throw new StageConfigError(`Invalid configuration of stage "${config.stage}": ${problems.join('; ')}.`);
  }
}

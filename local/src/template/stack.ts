// Loads a synthesized CDK stack (template + asset manifest) and gives every resource a local identity.

import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LocalTemplateError } from '../errors.js';
import { type ReferenceResolver, resolveIntrinsics } from './intrinsics.js';

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  Metadata?: Record<string, unknown>;
  Condition?: string;
}

export interface CloudFormationTemplate {
  Resources: Record<string, TemplateResource>;
  Parameters?: Record<string, { Default?: unknown }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, unknown>;
}

interface AssetManifest {
  files?: Record<
    string,
    {
      source: { path?: string; packaging?: string };
      destinations: Record<
        string,
        { bucketName?: string; objectKey?: string; region?: string; assumeRoleArn?: string }
      >;
    }
  >;
}

export interface StackOptions {
  /** Folder with the synthesized output, usually infra/cdk.out. */
  cdkOutDir: string;
  /** Stack name; the template file is `<stackName>.template.json`. */
  stackName: string;
  /** Region the pseudo parameter AWS::Region resolves to. Default: the stack's region in manifest.json, else eu-central-1. */
  region?: string;
  /**
   * Account the pseudo parameter AWS::AccountId resolves to. Default: the stack's account in manifest.json
   * (a stack with a fixed environment writes it into ARNs as a literal), else 000000000000.
   */
  accountId?: string;
}

/** A resource with its resolved properties. */
export interface LocalResource {
  logicalId: string;
  type: string;
  properties: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

const NAME_PROPERTIES: Record<string, string> = {
  'AWS::DynamoDB::Table': 'TableName',
  'AWS::DynamoDB::GlobalTable': 'TableName',
  'AWS::S3::Bucket': 'BucketName',
  'AWS::Lambda::Function': 'FunctionName',
  'AWS::SecretsManager::Secret': 'Name',
  'AWS::IAM::Role': 'RoleName',
  'AWS::Logs::LogGroup': 'LogGroupName',
  'AWS::ApiGateway::Stage': 'StageName',
  'AWS::ApiGatewayV2::Stage': 'StageName',
};

/**
 * A synthesized stack as the local runtime uses it: the template, its asset folders, and a local
 * physical name, ARN and attribute for every resource. Names are deterministic so that data kept
 * between runs (tables, buckets, secrets) is found again.
 */
export class LocalStack implements ReferenceResolver {
  readonly template: CloudFormationTemplate;
  readonly region: string;
  readonly accountId: string;
  private readonly assets: AssetManifest;
  private readonly conditionCache = new Map<string, boolean>();
  private readonly nameCache = new Map<string, string>();
  /** Attribute values that services learn at run time, e.g. a WebSocket API's local endpoint. */
  private readonly attributeOverrides = new Map<string, unknown>();

  constructor(readonly options: StackOptions) {
    const templatePath = join(options.cdkOutDir, `${options.stackName}.template.json`);
    if (!existsSync(templatePath)) {
      throw new LocalTemplateError(
        `The synthesized template ${templatePath} does not exist. Run "make synth" first (make up runs it for you).`,
      );
    }
    this.template = JSON.parse(readFileSync(templatePath, 'utf8')) as CloudFormationTemplate;
    const assetsPath = join(options.cdkOutDir, `${options.stackName}.assets.json`);
    this.assets = existsSync(assetsPath)
      ? (JSON.parse(readFileSync(assetsPath, 'utf8')) as AssetManifest)
      : {};
    const environment = {
      ...assetEnvironment(this.assets),
      ...assemblyEnvironment(options.cdkOutDir, options.stackName),
    };
    this.region = options.region ?? environment.region ?? 'eu-central-1';
    this.accountId = options.accountId ?? environment.accountId ?? '000000000000';
  }

  get stackName(): string {
    return this.options.stackName;
  }

  /** Returns every resource of the given types whose condition holds, with its properties resolved. */
  resourcesOfType(...types: string[]): LocalResource[] {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => types.includes(resource.Type))
      .filter(([, resource]) => resource.Condition === undefined || this.condition(resource.Condition))
      .map(([logicalId]) => this.resource(logicalId));
  }

  resource(logicalId: string): LocalResource {
    const resource = this.rawResource(logicalId);
    return {
      logicalId,
      type: resource.Type,
      properties: this.resolve(resource.Properties ?? {}) as Record<string, unknown>,
      metadata: resource.Metadata ?? {},
    };
  }

  /** Resolves every intrinsic function in `value` against this stack. */
  resolve(value: unknown): unknown {
    return resolveIntrinsics(value, this, this.template.Mappings);
  }

  /** Sets the value `Fn::GetAtt` returns for one attribute, for values known only once a service runs. */
  overrideAttribute(logicalId: string, attribute: string, value: unknown): void {
    this.attributeOverrides.set(`${logicalId}.${attribute}`, value);
  }

  ref(logicalId: string): unknown {
    switch (logicalId) {
      case 'AWS::Region':
        return this.region;
      case 'AWS::AccountId':
        return this.accountId;
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stackName;
      case 'AWS::StackId':
        return `arn:aws:cloudformation:${this.region}:${this.accountId}:stack/${this.stackName}/local`;
      case 'AWS::NotificationARNs':
        return [];
    }
    const parameter = this.template.Parameters?.[logicalId];
    if (parameter) {
      return parameter.Default;
    }
    const resource = this.rawResource(logicalId);
    switch (resource.Type) {
      case 'AWS::Lambda::Function':
      case 'AWS::DynamoDB::Table':
      case 'AWS::DynamoDB::GlobalTable':
      case 'AWS::S3::Bucket':
      case 'AWS::IAM::Role':
      case 'AWS::Logs::LogGroup':
      case 'AWS::ApiGateway::Stage':
      case 'AWS::ApiGatewayV2::Stage':
        return this.physicalName(logicalId);
      case 'AWS::SecretsManager::Secret':
        return this.getAtt(logicalId, 'Arn');
      case 'AWS::ApiGateway::RestApi':
      case 'AWS::ApiGatewayV2::Api':
        return this.apiId(logicalId);
      default: {
        const override = this.attributeOverrides.get(`${logicalId}.Ref`);
        return override ?? `${logicalId}-local`;
      }
    }
  }

  getAtt(logicalId: string, attribute: string): unknown {
    const override = this.attributeOverrides.get(`${logicalId}.${attribute}`);
    if (override !== undefined) {
      return override;
    }
    const resource = this.rawResource(logicalId);
    const name = this.physicalName(logicalId);
    const prefix = `arn:aws:${this.serviceOf(resource.Type)}:${this.region}:${this.accountId}`;
    switch (`${resource.Type}.${attribute}`) {
      case 'AWS::Lambda::Function.Arn':
        return `${prefix}:function:${name}`;
      case 'AWS::DynamoDB::Table.Arn':
      case 'AWS::DynamoDB::GlobalTable.Arn':
        return `${prefix}:table/${name}`;
      case 'AWS::DynamoDB::Table.StreamArn':
      case 'AWS::DynamoDB::GlobalTable.StreamArn':
        return `${prefix}:table/${name}/stream/local`;
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${name}`;
      case 'AWS::S3::Bucket.DomainName':
        return `${name}.s3.amazonaws.com`;
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${name}.s3.${this.region}.amazonaws.com`;
      case 'AWS::SecretsManager::Secret.Arn':
      case 'AWS::SecretsManager::Secret.Id':
        return `${prefix}:secret:${name}-local`;
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${this.accountId}:role/${name}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `${prefix}:log-group:${name}:*`;
      case 'AWS::ApiGateway::RestApi.RootResourceId':
        return 'root';
      case 'AWS::ApiGatewayV2::Api.ApiEndpoint':
        return `wss://${this.apiId(logicalId)}.execute-api.${this.region}.amazonaws.com`;
      case 'AWS::ApiGatewayV2::Api.ApiId':
        return this.apiId(logicalId);
      default:
        return `${logicalId}.${attribute}`;
    }
  }

  condition(name: string): boolean {
    const cached = this.conditionCache.get(name);
    if (cached !== undefined) {
      return cached;
    }
    const definition = this.template.Conditions?.[name];
    if (definition === undefined) {
      throw new LocalTemplateError(`The template has no condition named ${name}.`);
    }
    const value = Boolean(this.resolve(definition));
    this.conditionCache.set(name, value);
    return value;
  }

  /**
   * Returns the local physical name of a resource: its explicit name property when the template sets one,
   * otherwise `<stack>-<logicalId>`. CloudFormation adds a random suffix, but locally the name must be stable.
   */
  physicalName(logicalId: string): string {
    const cached = this.nameCache.get(logicalId);
    if (cached !== undefined) {
      return cached;
    }
    const resource = this.rawResource(logicalId);
    const property = NAME_PROPERTIES[resource.Type];
    const explicit = property ? resource.Properties?.[property] : undefined;
    let name = explicit === undefined ? `${this.stackName}-${logicalId}` : String(this.resolve(explicit));
    if (resource.Type === 'AWS::S3::Bucket') {
      name = name
        .toLowerCase()
        .replace(/[^a-z0-9.-]/g, '-')
        .slice(0, 63);
    }
    this.nameCache.set(logicalId, name);
    return name;
  }

  /** Derives a stable 10-character id, shaped like an API Gateway API id, derived from the logical id. */
  apiId(logicalId: string): string {
    return createHash('sha256').update(`${this.stackName}/${logicalId}`).digest('hex').slice(0, 10);
  }

  /** Finds the logical id of the resource whose ARN or name is `value`, if any resource of `type` has it. */
  findByArnOrName(type: string, value: string): string | undefined {
    return Object.entries(this.template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId]) => logicalId)
      .find((logicalId) => {
        const arn = this.getAtt(logicalId, 'Arn');
        return value === arn || value === this.physicalName(logicalId) || value.startsWith(`${String(arn)}:`);
      });
  }

  /**
   * Finds the folder with a Lambda function's bundle: the asset whose S3 object key matches Code.S3Key,
   * or the folder named in the `aws:asset:path` metadata CDK writes.
   */
  functionAssetDir(logicalId: string): string {
    const resource = this.resource(logicalId);
    const code = resource.properties.Code as { S3Key?: string } | undefined;
    const key = code?.S3Key;
    for (const asset of Object.values(this.assets.files ?? {})) {
      const matches = Object.values(asset.destinations).some((destination) => destination.objectKey === key);
      if (matches && asset.source.path) {
        return join(this.options.cdkOutDir, asset.source.path);
      }
    }
    const metadataPath = resource.metadata['aws:asset:path'];
    if (typeof metadataPath === 'string') {
      return join(this.options.cdkOutDir, metadataPath);
    }
    throw new LocalTemplateError(
      `Function ${logicalId} has no local code: no asset in ${this.stackName}.assets.json has the object key ${String(key)}, and the resource has no aws:asset:path metadata. Inline code (ZipFile) is not supported locally.`,
    );
  }

  /** Finds the local file of a file asset (for example an API definition uploaded by CDK), by S3 object key. */
  fileAssetPath(objectKey: string): string | undefined {
    for (const asset of Object.values(this.assets.files ?? {})) {
      const matches = Object.values(asset.destinations).some(
        (destination) => destination.objectKey === objectKey,
      );
      if (matches && asset.source.path) {
        return join(this.options.cdkOutDir, asset.source.path);
      }
    }
    return undefined;
  }

  private rawResource(logicalId: string): TemplateResource {
    const resource = this.template.Resources[logicalId];
    if (!resource) {
      throw new LocalTemplateError(
        `The template of ${this.stackName} references ${logicalId}, which is neither a resource nor a parameter.`,
      );
    }
    return resource;
  }

  private serviceOf(type: string): string {
    const service = type.split('::')[1] ?? 'unknown';
    return service === 'SecretsManager' ? 'secretsmanager' : service.toLowerCase();
  }
}

/** Reads the account and region CDK recorded for the stack in the cloud assembly's manifest.json. */
function assemblyEnvironment(cdkOutDir: string, stackName: string): { accountId?: string; region?: string } {
  const manifestPath = join(cdkOutDir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    return {};
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {
    artifacts?: Record<string, { environment?: string }>;
  };
  const match = /^aws:\/\/([^/]+)\/(.+)$/.exec(manifest.artifacts?.[stackName]?.environment ?? '');
  if (!match) {
    return {};
  }
  const [, account, region] = match;
  return {
    ...(account && account !== 'unknown-account' ? { accountId: account } : {}),
    ...(region && region !== 'unknown-region' ? { region } : {}),
  };
}

/**
 * Reads the account and region from the asset manifest's publishing destinations, for a cloud assembly
 * whose manifest.json no longer lists the stack (another stage was synthesized into the same folder).
 */
function assetEnvironment(assets: AssetManifest): { accountId?: string; region?: string } {
  for (const asset of Object.values(assets.files ?? {})) {
    for (const destination of Object.values(asset.destinations)) {
      const account = /:iam::(\d{12}):/.exec(destination.assumeRoleArn ?? '')?.[1];
      const region = destination.region?.includes('${') ? undefined : destination.region;
      if (account || region) {
        return { ...(account ? { accountId: account } : {}), ...(region ? { region } : {}) };
      }
    }
  }
  return {};
}

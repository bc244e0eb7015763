/**
 * One IAM identity per CI pipeline (backend, frontend, docs) of a stage, each allowed only what its
 * pipeline does: GitHub OIDC roles by default, or IAM users whose access keys live in Secrets Manager.
 */
import { RemovalPolicy, SecretValue, Stack } from 'aws-cdk-lib';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { DeployIdentityKind } from '../config.js';
import { acknowledgeRule, acknowledgeWildcardResource } from '../nag.js';
import { pascalCase } from '../names.js';

export type PipelineName = 'backend' | 'frontend' | 'docs';

export const PIPELINES: readonly PipelineName[] = ['backend', 'frontend', 'docs'];

/** A site a pipeline uploads to: its bucket and the distribution whose cache it invalidates. */
export interface SiteTarget {
  readonly bucket: s3.IBucket;
  readonly distribution: cloudfront.IDistribution;
}

export const GITHUB_OIDC_ISSUER = 'token.actions.githubusercontent.com';

/** The CDK bootstrap qualifier whose roles the backend pipeline assumes (the CDK default). */
export const CDK_BOOTSTRAP_QUALIFIER = 'hnb659fds';

export interface DeployIdentitiesProps {
  readonly stage: string;
  readonly kind: DeployIdentityKind;
  /** `owner/name` of the GitHub repository whose workflows may assume the roles (kind `github-oidc`). */
  readonly githubRepository: string;
  /** Create the account's GitHub OIDC provider, or reference the one that exists (kind `github-oidc`). */
  readonly oidcProvider: 'create' | 'import';
  /** Regions the backend pipeline deploys to; it may assume the CDK bootstrap roles of each. */
  readonly backendRegions: readonly string[];
  /** The dashboard site, the frontend pipeline's only target. */
  readonly frontendSite: SiteTarget;
  /** The API documentation and user documentation sites, the docs pipeline's targets. */
  readonly docsSites: readonly SiteTarget[];
  /**
   * Removal policy of the identities and of a created OIDC provider.
   * @default RemovalPolicy.DESTROY
   */
  readonly removalPolicy?: RemovalPolicy;
}

export class DeployIdentities extends Construct {
  /** The principal of each pipeline: a role (github-oidc) or a user (iam-user). */
  readonly identities: ReadonlyMap<PipelineName, iam.Role | iam.User>;
  /** For kind `iam-user`: the secret holding each pipeline user's access key. */
  readonly accessKeySecrets: ReadonlyMap<PipelineName, secretsmanager.Secret>;

  constructor(scope: Construct, id: string, props: DeployIdentitiesProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(props.githubRepository)) {
      throw new Error(
        `DeployIdentities: githubRepository "${props.githubRepository}" must look like owner/name.`,
      );
    }
    if (props.backendRegions.length === 0) {
      throw new Error('DeployIdentities: backendRegions must name at least the stack region.');
    }
    if (props.docsSites.length === 0) {
      throw new Error('DeployIdentities: docsSites must name at least one site.');
    }
    const stack = Stack.of(this);
    const identities = new Map<PipelineName, iam.Role | iam.User>();
    const accessKeySecrets = new Map<PipelineName, secretsmanager.Secret>();
    const provider = props.kind === 'github-oidc' ? this.githubProvider(props) : undefined;

    for (const pipeline of PIPELINES) {
      const name = `katapp-${props.stage}-${pipeline}-deploy`;
      let identity: iam.Role | iam.User;
      if (provider) {
        identity = new iam.Role(this, `${pascalCase(pipeline)}Role`, {
          roleName: name,
          description: `GitHub Actions ${pipeline} pipeline of stage ${props.stage}`,
          assumedBy: new iam.WebIdentityPrincipal(provider.openIdConnectProviderArn, {
            StringEquals: {
              [`${GITHUB_OIDC_ISSUER}:aud`]: 'sts.amazonaws.com',
              // Jobs must run in the GitHub environment named after the stage.
              [`${GITHUB_OIDC_ISSUER}:sub`]: `repo:${props.githubRepository}:environment:${props.stage}`,
            },
          }),
        });
      } else {
        identity = new iam.User(this, `${pascalCase(pipeline)}User`, { userName: name });
        accessKeySecrets.set(pipeline, this.storeAccessKey(pipeline, identity, props.stage));
      }
      identity.applyRemovalPolicy(props.removalPolicy ?? RemovalPolicy.DESTROY);
      identities.set(pipeline, identity);
    }

    this.grantBackend(getIdentity(identities, 'backend'), props.backendRegions);
    this.grantSites(getIdentity(identities, 'frontend'), [props.frontendSite]);
    this.grantSites(getIdentity(identities, 'docs'), props.docsSites);
    for (const pipeline of ['frontend', 'docs'] as const) {
      // The upload workflows read the bucket names and distribution ids from the stack outputs.
      getIdentity(identities, pipeline).addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['cloudformation:DescribeStacks'], resources: [stack.stackId] }),
      );
    }
    this.identities = identities;
    this.accessKeySecrets = accessKeySecrets;
  }

  private githubProvider(props: DeployIdentitiesProps): iam.IOidcProvider {
    if (props.oidcProvider === 'create') {
      return new iam.OidcProviderNative(this, 'GitHubOidcProvider', {
        url: `https://${GITHUB_OIDC_ISSUER}`,
        clientIds: ['sts.amazonaws.com'],
        removalPolicy: props.removalPolicy ?? RemovalPolicy.DESTROY,
      });
    }
    const stack = Stack.of(this);
    return iam.OidcProviderNative.fromOidcProviderArn(
      this,
      'GitHubOidcProvider',
      stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'oidc-provider',
        resourceName: GITHUB_OIDC_ISSUER,
      }),
    );
  }

  private storeAccessKey(pipeline: PipelineName, user: iam.User, stage: string): secretsmanager.Secret {
    const key = new iam.AccessKey(this, `${pascalCase(pipeline)}AccessKey`, { user });
    const secret = new secretsmanager.Secret(this, `${pascalCase(pipeline)}AccessKeySecret`, {
      secretName: `katapp/${stage}/${pipeline}-deploy-access-key`,
      description: `Access key of the ${pipeline} pipeline user; copy it into the GitHub environment secrets`,
      secretObjectValue: {
        accessKeyId: SecretValue.unsafePlainText(key.accessKeyId),
        secretAccessKey: key.secretAccessKey,
      },
    });
    acknowledgeRule(
      secret,
      'AwsSolutions-SMG4',
      'The key is copied into GitHub by hand; rotate it by replacing the AccessKey resource and updating the GitHub secret together.',
    );
    return secret;
  }

  private grantBackend(identity: iam.Role | iam.User, regions: readonly string[]): void {
    const stack = Stack.of(this);
    const roleArns = regions.map((region) =>
      stack.formatArn({
        service: 'iam',
        region: '',
        resource: 'role',
        resourceName: `cdk-${CDK_BOOTSTRAP_QUALIFIER}-*-${stack.account}-${region}`,
      }),
    );
    identity.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: roleArns }),
    );
    for (const arn of roleArns) {
      acknowledgeWildcardResource(
        identity,
        arn,
        'The CDK CLI assumes the bootstrap deploy, lookup, file-publishing and image-publishing roles; the wildcard covers only those four role names of this account and region.',
      );
    }
  }

  private grantSites(identity: iam.Role | iam.User, sites: readonly SiteTarget[]): void {
    for (const site of sites) {
      identity.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [site.bucket.bucketArn] }),
      );
      const objects = site.bucket.arnForObjects('*');
      identity.addToPrincipalPolicy(
        new iam.PolicyStatement({ actions: ['s3:PutObject', 's3:DeleteObject'], resources: [objects] }),
      );
      acknowledgeWildcardResource(
        identity,
        objects,
        'aws s3 sync --delete writes and removes any object of the site bucket; the grant covers that bucket only.',
      );
      identity.addToPrincipalPolicy(
        new iam.PolicyStatement({
          actions: ['cloudfront:CreateInvalidation', 'cloudfront:GetInvalidation'],
          resources: [site.distribution.distributionArn],
        }),
      );
    }
  }
}

function getIdentity(
  identities: Map<PipelineName, iam.Role | iam.User>,
  pipeline: PipelineName,
): iam.Role | iam.User {
  const identity = identities.get(pipeline);
  if (!identity) {
    throw new Error(`DeployIdentities: no identity for pipeline "${pipeline}".`);
  }
  return identity;
}

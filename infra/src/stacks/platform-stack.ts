/** The main stack of a stage (`KatApp-<stage>`): data, functions, APIs, sites, DNS, alarms and deploy identities. */
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.js';
import { DataTables } from '../constructs/data-tables.js';
import { DeployIdentities } from '../constructs/deploy-identities.js';
import { DnsRecords } from '../constructs/dns-records.js';
import { KatAppFunctions } from '../constructs/katapp-functions.js';
import { LogBucket } from '../constructs/log-bucket.js';
import { OperationsAlarms } from '../constructs/operations-alarms.js';
import { PhotoBucket } from '../constructs/photo-bucket.js';
import { KatAppRestApi } from '../constructs/rest-api.js';
import { SigningKey } from '../constructs/signing-key.js';
import { StaticSite } from '../constructs/static-site.js';
import { KatAppWebSocketApi } from '../constructs/websocket-api.js';
import { type ApiOrigins, contentSecurityPolicies } from '../content-security.js';
import type { RestApiDefinition } from '../contract/rest-definition.js';
import type { WebSocketRouteTable } from '../contract/websocket-routes.js';
import type { FunctionName } from '../functions.js';
import { acknowledgeRule } from '../nag.js';
import { pascalCase } from '../names.js';
import { repositoryPaths } from '../paths.js';

export interface PlatformStackProps extends StackProps {
  readonly config: StageConfig;
  /** Parsed generated/apigateway/openapi.json. */
  readonly restApiDefinition: RestApiDefinition;
  /** Route table from generated/websocket. */
  readonly webSocketRoutes: WebSocketRouteTable;
  /** Certificate for dashboard, apidoc and docs in us-east-1; required when `config.domain` is set. */
  readonly siteCertificate?: acm.ICertificate;
  /**
   * Build folders of the sites.
   * @default dashboard/dist, site/dist/api, site/dist/docs
   */
  readonly siteBuilds?: { readonly dashboard: string; readonly apidoc: string; readonly docs: string };
}

export class PlatformStack extends Stack {
  readonly tables: DataTables;
  readonly functions: KatAppFunctions;
  readonly restApi: KatAppRestApi;
  readonly webSocketApi: KatAppWebSocketApi;
  readonly sites: { readonly dashboard: StaticSite; readonly apidoc: StaticSite; readonly docs: StaticSite };
  readonly deployIdentities: DeployIdentities;

  constructor(scope: Construct, id: string, props: PlatformStackProps) {
    super(scope, id, { crossRegionReferences: true, ...props });
    const { config } = props;
    const domain = config.domain;
    if (domain && !props.siteCertificate) {
      throw new Error(
        `PlatformStack ${id}: domain ${domain.name} is configured but no site certificate was passed.`,
      );
    }
    const retain = config.removalPolicy === 'retain';
    const removalPolicy = retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const logRetention = config.logRetentionDays as logs.RetentionDays;
    const siteBuilds = props.siteBuilds ?? repositoryPaths.siteBuilds;
    const zone = domain
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: domain.hostedZoneId,
          zoneName: domain.name,
        })
      : undefined;
    const apiCertificate =
      domain && zone
        ? new acm.Certificate(this, 'ApiCertificate', {
            domainName: `api.${domain.name}`,
            subjectAlternativeNames: [`ws.${domain.name}`],
            validation: acm.CertificateValidation.fromDns(zone),
          })
        : undefined;

    const logBucket = new LogBucket(this, 'Logs', { expirationDays: config.logRetentionDays, removalPolicy });
    this.tables = new DataTables(this, 'Tables', {
      stage: config.stage,
      removalPolicy: config.removalPolicy,
    });
    const signingKey = new SigningKey(this, 'SigningKey', {
      stage: config.stage,
      logRetention,
      removalPolicy,
    });

    const siteOrigin = (name: string, site?: StaticSite) =>
      domain ? `https://${name}.${domain.name}` : `https://${site?.distribution.distributionDomainName}`;
    const apiOrigins: ApiOrigins = domain
      ? { rest: `https://api.${domain.name}`, webSocket: `wss://ws.${domain.name}` }
      : {
          // Wildcards instead of the API ids: the ids would make the dashboard depend on the API, whose
          // functions depend on the photo bucket, whose CORS rule depends on the dashboard.
          rest: `https://*.execute-api.${this.region}.amazonaws.com`,
          webSocket: `wss://*.execute-api.${this.region}.amazonaws.com`,
        };
    const policies = contentSecurityPolicies(apiOrigins, `https://*.s3.${this.region}.amazonaws.com`);

    // Sites come first because the photo bucket's CORS rule needs the dashboard's origin.
    const deploymentLogGroup = new logs.LogGroup(this, 'SiteUploadLogs', {
      retention: logRetention,
      removalPolicy,
    });
    const siteProps = (name: 'dashboard' | 'apidoc' | 'docs') => ({
      deploymentLogGroup,
      siteName: name,
      buildDirectory: siteBuilds[name],
      logBucket: logBucket.bucket,
      removalPolicy,
      contentSecurityPolicy: policies[name],
      ...(domain ? { domainName: `${name}.${domain.name}`, certificate: props.siteCertificate } : {}),
    });
    const dashboard = new StaticSite(this, 'Dashboard', {
      ...siteProps('dashboard'),
      buildTarget: 'dashboard',
      singlePageApplication: true,
    });
    const apidoc = new StaticSite(this, 'ApiDoc', { ...siteProps('apidoc'), buildTarget: 'docs' });
    const docs = new StaticSite(this, 'Docs', { ...siteProps('docs'), buildTarget: 'docs' });
    this.sites = { dashboard, apidoc, docs };

    const photos = new PhotoBucket(this, 'Photos', {
      corsOrigins: [siteOrigin('dashboard', dashboard), ...(config.extraCorsOrigins ?? [])],
      drillObjectExpirationDays: config.drillObjectExpirationDays,
      noncurrentVersionExpirationDays: config.noncurrentVersionExpirationDays,
      accessLogBucket: logBucket.bucket,
      removalPolicy,
    });

    this.functions = new KatAppFunctions(this, 'Functions', {
      stage: config.stage,
      tables: this.tables,
      photoBucket: photos.bucket,
      signingKeySecret: signingKey.secret,
      signingKeySecretArn: signingKey.secretArnAfterGeneration,
      logRetention,
      logLevel: config.logLevel,
      accessTokenTtlSeconds: config.accessTokenTtlSeconds,
      logRemovalPolicy: removalPolicy,
    });

    this.restApi = new KatAppRestApi(this, 'RestApi', {
      definition: props.restApiDefinition,
      functionFor: (name) => this.functions.functions.get(name as FunctionName),
      apiName: `katapp-${config.stage}`,
      stageName: config.stage,
      throttling: config.throttling,
      logRetention,
      logRemovalPolicy: removalPolicy,
      customDomain:
        domain && apiCertificate
          ? { domainName: `api.${domain.name}`, certificate: apiCertificate }
          : undefined,
    });

    this.webSocketApi = new KatAppWebSocketApi(this, 'WebSocketApi', {
      routeTable: props.webSocketRoutes,
      functionFor: (name) => this.functions.functions.get(name as FunctionName),
      authorizer: this.functions.function('authorizer'),
      apiName: `katapp-${config.stage}-ws`,
      stageName: config.stage,
      throttling: config.throttling,
      logRetention,
      logRemovalPolicy: removalPolicy,
      customDomain:
        domain && apiCertificate
          ? { domainName: `ws.${domain.name}`, certificate: apiCertificate }
          : undefined,
    });
    this.functions.connectWebSocket({
      callbackUrl: this.webSocketApi.callbackUrl,
      apiId: this.webSocketApi.api.apiId,
      stageName: config.stage,
    });

    this.connectBroadcaster();

    const restUrl = domain ? `https://api.${domain.name}` : this.restApi.api.url;
    const webSocketUrl = domain ? `wss://ws.${domain.name}` : this.webSocketApi.stage.url;
    // The dashboard reads its API endpoints at run time, so one build serves every stage.
    dashboard.addSource(
      s3deploy.Source.jsonData('config.json', { apiUrl: restUrl, webSocketUrl, stage: config.stage }),
    );

    if (zone && this.restApi.domainName && this.webSocketApi.domainName) {
      new DnsRecords(this, 'Dns', {
        zone,
        distributions: {
          dashboard: dashboard.distribution,
          apidoc: apidoc.distribution,
          docs: docs.distribution,
        },
        restDomain: this.restApi.domainName,
        webSocketDomain: this.webSocketApi.domainName,
      });
    }

    this.deployIdentities = new DeployIdentities(this, 'DeployIdentities', {
      stage: config.stage,
      kind: config.deployIdentity,
      githubRepository: config.githubRepository,
      oidcProvider: config.githubOidcProvider,
      backendRegions: domain ? [this.region, 'us-east-1'] : [this.region],
      frontendSite: dashboard,
      docsSites: [apidoc, docs],
    });

    new OperationsAlarms(this, 'Alarms', {
      stage: config.stage,
      restApi: this.restApi.api,
      webSocket: { apiId: this.webSocketApi.api.apiId, stageName: config.stage },
      functions: this.functions.functions,
    });

    this.addOutputs({ restUrl, webSocketUrl, photos, siteOrigin });
  }

  /** Feeds the Data table's stream to the broadcaster, with failed batches parked in a queue. */
  private connectBroadcaster(): void {
    const failures = new sqs.Queue(this, 'BroadcastFailures', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledgeRule(
      failures,
      'AwsSolutions-SQS3',
      'This queue is the failure destination of the stream consumer itself; its records only point at stream positions.',
    );
    const broadcaster = this.functions.function('broadcaster');
    broadcaster.addEventSource(
      new DynamoEventSource(this.tables.table('Data'), {
        startingPosition: lambda.StartingPosition.LATEST,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        bisectBatchOnError: true,
        retryAttempts: 3,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(failures),
      }),
    );
  }

  private addOutputs(options: {
    restUrl: string;
    webSocketUrl: string;
    photos: PhotoBucket;
    siteOrigin: (name: string, site?: StaticSite) => string;
  }): void {
    const outputs: Record<string, { value: string; description: string }> = {
      RestApiUrl: { value: options.restUrl, description: 'Base URL of the REST API' },
      WebSocketUrl: { value: options.webSocketUrl, description: 'URL of the WebSocket API' },
      PhotoBucketName: {
        value: options.photos.bucket.bucketName,
        description: 'Bucket holding triage photos',
      },
      DataTableName: { value: this.tables.table('Data').tableName, description: 'The Data table' },
    };
    for (const [name, site] of Object.entries(this.sites)) {
      const id = pascalCase(name);
      outputs[`${id}Url`] = { value: options.siteOrigin(name, site), description: `URL of the ${name} site` };
      outputs[`${id}BucketName`] = {
        value: site.bucket.bucketName,
        description: `Bucket the ${name} workflow uploads to`,
      };
      outputs[`${id}DistributionId`] = {
        value: site.distribution.distributionId,
        description: `Distribution the ${name} workflow invalidates`,
      };
    }
    for (const [pipeline, identity] of this.deployIdentities.identities) {
      const id = pascalCase(pipeline);
      if (identity instanceof iam.Role) {
        outputs[`${id}DeployRoleArn`] = {
          value: identity.roleArn,
          description: `role-to-assume of the ${pipeline} workflow`,
        };
      }
      const secret = this.deployIdentities.accessKeySecrets.get(pipeline);
      if (secret) {
        outputs[`${id}DeployAccessKeySecret`] = {
          value: secret.secretName,
          description: `Secret with the access key of the ${pipeline} workflow's user`,
        };
      }
    }
    for (const [id, output] of Object.entries(outputs)) {
      new CfnOutput(this, id, output);
    }
  }
}

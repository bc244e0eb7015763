/** A static website: a private S3 bucket behind CloudFront with origin access control and security headers. */
import { existsSync, statSync } from 'node:fs';
import { Annotations, DefaultStackSynthesizer, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledgeRule, acknowledgeWildcardAction, acknowledgeWildcardResource } from '../nag.js';

export interface StaticSiteProps {
  /** Short name used in ids, comments and the log prefix, e.g. `dashboard`. */
  readonly siteName: string;
  /** Folder with the built site; when it does not exist at synth time the upload is skipped with a warning. */
  readonly buildDirectory: string;
  /** The make target that builds `buildDirectory`, named in the warning when the folder is missing. */
  readonly buildTarget: string;
  /** Content-Security-Policy header value sent with every response. */
  readonly contentSecurityPolicy: string;
  /**
   * Serve /index.html with status 200 for missing paths (403 and 404 from S3), as a client-routed app needs.
   * @default false: missing paths give 404, and a path ending in "/" or without an extension maps to its index.html
   */
  readonly singlePageApplication?: boolean;
  /**
   * Custom domain name, e.g. `dashboard.example.org`. Requires `certificate`.
   * @default - the distribution's cloudfront.net name only
   */
  readonly domainName?: string;
  /**
   * Certificate for `domainName`. CloudFront accepts only certificates in us-east-1.
   * @default - none, the CloudFront default certificate
   */
  readonly certificate?: acm.ICertificate;
  /** Receives the CloudFront standard logs and the bucket's server access logs. */
  readonly logBucket: s3.IBucket;
  /**
   * Paths invalidated after each upload. Each must start with "/".
   * @default ['/*']
   */
  readonly invalidationPaths?: readonly string[];
  /**
   * Removal policy of the bucket.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Log group of the upload handler. aws-cdk-lib runs one handler for all uploads of a stack, and the first
   * site that uploads decides its log group, so pass the same group to every site of a stack.
   * @default - a log group that aws-cdk-lib creates with two years of retention
   */
  readonly deploymentLogGroup?: logs.ILogGroup;
}

/** Warning id attached when a site's build folder is missing at synth time. */
export const MISSING_BUILD_WARNING = 'katapp:site-build-missing';

export class StaticSite extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  /** The upload of the build folder, or undefined when the folder was missing at synth time. */
  readonly deployment?: s3deploy.BucketDeployment;

  constructor(scope: Construct, id: string, props: StaticSiteProps) {
    super(scope, id);
    validateProps(props);
    const invalidationPaths = props.invalidationPaths ?? ['/*'];

    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.logBucket,
      serverAccessLogsPrefix: `sites/${props.siteName}/`,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const headers = new cloudfront.ResponseHeadersPolicy(this, 'Headers', {
      comment: `Security headers of the ${props.siteName} site`,
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
        referrerPolicy: {
          referrerPolicy: cloudfront.HeadersReferrerPolicy.STRICT_ORIGIN_WHEN_CROSS_ORIGIN,
          override: true,
        },
        strictTransportSecurity: {
          accessControlMaxAge: Duration.days(730),
          includeSubdomains: true,
          preload: true,
          override: true,
        },
      },
    });

    const spa = props.singlePageApplication ?? false;
    const indexRewrite = spa
      ? undefined
      : new cloudfront.Function(this, 'IndexRewrite', {
          comment: `Maps folder paths of the ${props.siteName} site to their index.html`,
          runtime: cloudfront.FunctionRuntime.JS_2_0,
          code: cloudfront.FunctionCode.fromInline(INDEX_REWRITE_CODE),
        });

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `KatApp ${props.siteName}`,
      defaultRootObject: 'index.html',
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: headers,
        compress: true,
        functionAssociations: indexRewrite
          ? [{ function: indexRewrite, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }]
          : undefined,
      },
      errorResponses: spa
        ? [403, 404].map((httpStatus) => ({
            httpStatus,
            responseHttpStatus: 200,
            responsePagePath: '/index.html',
            ttl: Duration.seconds(0),
          }))
        : undefined,
      domainNames: props.domainName ? [props.domainName] : undefined,
      certificate: props.certificate,
      ...(props.certificate
        ? { minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 }
        : {}),
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      enableLogging: true,
      logBucket: props.logBucket,
      logFilePrefix: `cloudfront/${props.siteName}/`,
    });
    acknowledgeRule(
      this.distribution,
      'AwsSolutions-CFR1',
      'The sites are public documentation and a login-protected dashboard used by German and EU responders abroad; a geo restriction would lock out mutual-aid teams.',
    );
    acknowledgeRule(
      this.distribution,
      'AwsSolutions-CFR2',
      'The sites serve static files only; the API behind the dashboard has its own throttling and authorizer.',
    );
    if (!props.certificate) {
      acknowledgeRule(
        this.distribution,
        'AwsSolutions-CFR4',
        'Without a custom domain the distribution uses the CloudFront default certificate, whose minimum protocol CloudFront fixes at TLSv1; configure a domain to get TLSv1.2_2021.',
      );
    }

    if (existsSync(props.buildDirectory) && statSync(props.buildDirectory).isDirectory()) {
      this.deployment = new s3deploy.BucketDeployment(this, 'Upload', {
        sources: [s3deploy.Source.asset(props.buildDirectory)],
        destinationBucket: this.bucket,
        distribution: this.distribution,
        distributionPaths: [...invalidationPaths],
        memoryLimit: 512,
        logGroup: props.deploymentLogGroup,
      });
      acknowledgeDeploymentHandler(this, this.bucket);
    } else {
      Annotations.of(this).addWarningV2(
        MISSING_BUILD_WARNING,
        `The ${props.siteName} site is not uploaded: build folder ${props.buildDirectory} does not exist. Run "make ${props.buildTarget}" before synth or deploy.`,
      );
    }
  }

  /** Uploads `source` together with the build, e.g. a runtime `config.json`; does nothing when the build is missing. */
  addSource(source: s3deploy.ISource): void {
    this.deployment?.addSource(source);
  }
}

/**
 * CloudFront Function (JS 2.0 runtime) for the non-SPA sites: S3 through OAC has no index documents, so
 * `/guide/` and `/guide` are rewritten to `/guide/index.html`.
 */
const INDEX_REWRITE_CODE = `function handler(event) {
  var request = event.request;
  var uri = request.uri;
  if (uri.endsWith('/')) {
    request.uri = uri + 'index.html';
  } else if (uri.lastIndexOf('.') < uri.lastIndexOf('/')) {
    request.uri = uri + '/index.html';
  }
  return request;
}`;

/**
 * Acknowledges the findings on the upload handler that aws-cdk-lib's BucketDeployment creates once per stack
 * (a Lambda function with the AWS CLI layer). Its policy comes from aws-cdk-lib and cannot be narrowed here.
 */
function acknowledgeDeploymentHandler(site: StaticSite, bucket: s3.IBucket): void {
  const stack = Stack.of(site);
  const handler = stack.node.children.find((child) =>
    child.node.id.startsWith('Custom::CDKBucketDeployment'),
  );
  if (!handler) {
    throw new Error(
      'StaticSite: the BucketDeployment handler was not found at the stack root; aws-cdk-lib changed its layout.',
    );
  }

  const reason =
    'aws-cdk-lib BucketDeployment handler: it copies the build from the CDK asset bucket into the site bucket and invalidates the distribution';
  acknowledgeRule(handler, 'AwsSolutions-L1', `${reason}; aws-cdk-lib pins its runtime.`);
  acknowledgeRule(
    handler,
    'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${reason}; aws-cdk-lib attaches the AWS managed logging policy.`,
  );

  for (const action of ['s3:GetBucket*', 's3:GetObject*', 's3:List*', 's3:Abort*', 's3:DeleteObject*']) {
    acknowledgeWildcardAction(
      handler,
      action,
      `${reason}; aws-cdk-lib grants read and write with these action groups.`,
    );
  }

  acknowledgeWildcardResource(
    handler,
    bucket.arnForObjects('*'),
    `${reason}; it syncs the whole site bucket.`,
  );

  const placeholders: Record<string, string> = {
    Qualifier: DefaultStackSynthesizer.DEFAULT_QUALIFIER,
    'AWS::AccountId': stack.account,
    'AWS::Region': stack.region,
  };
  const assetBucket = DefaultStackSynthesizer.DEFAULT_FILE_ASSETS_BUCKET_NAME.replace(
    /\$\{([^}]+)\}/g,
    (match, name: string) => placeholders[name] ?? match,
  );
  acknowledgeWildcardResource(
    handler,
    `arn:${stack.partition}:s3:::${assetBucket}/*`,
    `${reason}; it reads the zipped build from the CDK bootstrap asset bucket.`,
  );

  acknowledgeWildcardResource(
    handler,
    '*',
    `${reason}; cloudfront:CreateInvalidation and GetInvalidation are granted on every distribution by aws-cdk-lib.`,
  );
}

function validateProps(props: StaticSiteProps): void {
  if (!/^[a-z][a-z0-9-]*$/.test(props.siteName)) {
    throw new Error(
      `StaticSite: siteName "${props.siteName}" must be lower-case letters, digits and dashes.`,
    );
  }
  for (const path of props.invalidationPaths ?? []) {
    if (!path.startsWith('/')) {
      throw new Error(
        `StaticSite ${props.siteName}: Distribution paths must start with "/", got "${path}". Write "/${path}" instead.`,
      );
    }
  }
  if (props.invalidationPaths !== undefined && props.invalidationPaths.length === 0) {
    throw new Error(`StaticSite ${props.siteName}: invalidationPaths is empty; omit it to invalidate "/*".`);
  }
  if ((props.domainName === undefined) !== (props.certificate === undefined)) {
    throw new Error(
      `StaticSite ${props.siteName}: domainName and certificate must be given together (got ${props.domainName === undefined ? 'only a certificate' : 'only a domain name'}).`,
    );
  }
}

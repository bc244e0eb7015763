/** The private bucket for triage photos, uploaded and downloaded only through presigned URLs. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface PhotoBucketProps {
  /**
   * Browser origins that may PUT and GET photos through presigned URLs, e.g. the dashboard's
   * `https://dashboard.example.org`. Values may be tokens (a CloudFront domain before deploy).
   */
  readonly corsOrigins: readonly string[];
  /** Days after which objects tagged `katapp:mode=drill` expire. */
  readonly drillObjectExpirationDays: number;
  /** Days after which noncurrent object versions expire. */
  readonly noncurrentVersionExpirationDays: number;
  /** Receives the S3 server access logs. */
  readonly accessLogBucket: s3.IBucket;
  /**
   * Removal policy of the bucket. CloudFormation cannot delete a bucket that still contains objects, so
   * `DESTROY` needs the bucket emptied first.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** The tag that marks drill and test data; the handlers set it on every object of a drill disaster. */
export const DRILL_TAG = { key: 'katapp:mode', value: 'drill' } as const;

/**
 * Versioned, encrypted, TLS-only photo bucket with public access blocked, CORS for presigned uploads from
 * the dashboard, and lifecycle rules that expire drill photos and old versions.
 */
export class PhotoBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: PhotoBucketProps) {
    super(scope, id);
    if (props.corsOrigins.length === 0) {
      throw new Error('PhotoBucket: corsOrigins must name at least one origin (the dashboard).');
    }
    for (const [key, days] of [
      ['drillObjectExpirationDays', props.drillObjectExpirationDays],
      ['noncurrentVersionExpirationDays', props.noncurrentVersionExpirationDays],
    ] as const) {
      if (!Number.isInteger(days) || days < 1) {
        throw new Error(`PhotoBucket: ${key} must be a positive integer, got ${days}.`);
      }
    }

    this.bucket = new s3.Bucket(this, 'Bucket', {
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      serverAccessLogsBucket: props.accessLogBucket,
      serverAccessLogsPrefix: 'photos/',
      cors: [
        {
          allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
          allowedOrigins: [...props.corsOrigins],
          // Presigned PUTs carry the content type, the SHA-256 checksum and the drill tag as signed headers.
          allowedHeaders: [
            'content-type',
            'content-md5',
            'x-amz-checksum-sha256',
            'x-amz-sdk-checksum-algorithm',
            'x-amz-tagging',
          ],
          exposedHeaders: ['ETag'],
          maxAge: 3000,
        },
      ],
      lifecycleRules: [
        {
          id: 'expire-drill-photos',
          tagFilters: { [DRILL_TAG.key]: DRILL_TAG.value },
          expiration: Duration.days(props.drillObjectExpirationDays),
        },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays),
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
  }
}

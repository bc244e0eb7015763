/** The bucket that receives S3 server access logs and CloudFront standard logs of the stage. */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledgeRule } from '../nag.js';

export interface LogBucketProps {
  /** Days after which log objects expire. */
  readonly expirationDays: number;
  /**
   * Removal policy of the bucket. CloudFormation cannot delete a bucket that still contains objects, so
   * `DESTROY` needs the bucket emptied first.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** A private, TLS-only log bucket; ACLs stay enabled because CloudFront standard logging writes with an ACL. */
export class LogBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: LogBucketProps) {
    super(scope, id);
    if (!Number.isInteger(props.expirationDays) || props.expirationDays < 1) {
      throw new Error(`LogBucket: expirationDays must be a positive integer, got ${props.expirationDays}.`);
    }
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(props.expirationDays) }],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    acknowledgeRule(
      this.bucket,
      'AwsSolutions-S1',
      'This is the access log bucket itself; logging it into itself would log every log delivery.',
    );
  }
}

/**
 * Fails synth when a CloudFront distribution's certificate is not provably in us-east-1. CDK itself checks
 * only certificate ARNs that are literal strings. A certificate created in the app is a token, so without
 * this check a certificate in the wrong region passes synth and fails at deploy time.
 */
import {
  Annotations,
  Arn,
  ArnFormat,
  CfnResource,
  type IAspect,
  Reference,
  Stack,
  Token,
  Tokenization,
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import type { IConstruct } from 'constructs';

export const CLOUDFRONT_CERTIFICATE_REGION = 'us-east-1';

/** Id of the error annotation, so tests and users can find it. */
export const CERTIFICATE_REGION_ERROR = 'katapp:cloudfront-certificate-region';

export class CloudFrontCertificateRegionCheck implements IAspect {
  visit(node: IConstruct): void {
    if (!(node instanceof cloudfront.CfnDistribution)) {
      return;
    }
    const config = node.distributionConfig;
    if (Tokenization.isResolvable(config)) {
      this.fail(node, 'its DistributionConfig is a token, so the certificate cannot be inspected');
      return;
    }
    const viewerCertificate = config.viewerCertificate;
    if (viewerCertificate === undefined || Tokenization.isResolvable(viewerCertificate)) {
      if (viewerCertificate !== undefined) {
        this.fail(node, 'its ViewerCertificate is a token, so the certificate cannot be inspected');
      }
      return;
    }
    const arn = viewerCertificate.acmCertificateArn;
    if (arn === undefined) {
      return;
    }
    const region = certificateRegion(arn);
    if (region === undefined) {
      this.fail(node, `the region of certificate ${arn} cannot be determined at synth time`);
    } else if (region.value !== CLOUDFRONT_CERTIFICATE_REGION) {
      this.fail(node, `certificate ${region.source} is in region ${region.value}`);
    }
  }

  private fail(node: cloudfront.CfnDistribution, problem: string): void {
    Annotations.of(node).addError(
      `[${CERTIFICATE_REGION_ERROR}] CloudFront distribution ${node.node.path} needs a certificate in ${CLOUDFRONT_CERTIFICATE_REGION}, but ${problem}. ` +
        `Create the certificate in a stack with env.region "${CLOUDFRONT_CERTIFICATE_REGION}" and set crossRegionReferences: true on the stack of the distribution.`,
    );
  }
}

/**
 * Returns the certificate's region and a description of where it was found, or undefined when the region
 * is a token (an environment-agnostic stack) or the ARN has an unknown shape.
 */
function certificateRegion(arn: string): { value: string; source: string } | undefined {
  if (!Token.isUnresolved(arn)) {
    const region = Arn.split(arn, ArnFormat.SLASH_RESOURCE_NAME).region;
    return region ? { value: region, source: arn } : undefined;
  }
  const fragments = Tokenization.reverseString(arn);
  if (fragments.length === 1 && fragments.tokens.length === 1) {
    const token = fragments.tokens[0];
    if (token instanceof Reference && CfnResource.isCfnResource(token.target)) {
      if (token.target.cfnResourceType !== 'AWS::CertificateManager::Certificate') {
        return undefined;
      }
      const region = Stack.of(token.target).region;
      return Token.isUnresolved(region) ? undefined : { value: region, source: token.target.node.path };
    }
  }
  // An ARN assembled from parts, e.g. arn:${Partition}:acm:us-east-1:${Account}:certificate/id.
  const literal = String(
    fragments
      .mapTokens({ mapToken: () => '#' })
      .join({ join: (left: unknown, right: unknown) => `${left}${right}` }),
  );
  const match = /:acm:([a-z0-9-]+):/.exec(literal);
  return match?.[1] ? { value: match[1], source: literal } : undefined;
}

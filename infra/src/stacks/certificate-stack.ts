/** The us-east-1 stack with the certificate CloudFront serves for the stage's three site names. */
import { Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { CLOUDFRONT_CERTIFICATE_REGION } from '../aspects/cloudfront-certificate-region.js';
import type { DomainConfig } from '../config.js';

/** Subdomains served by CloudFront; their certificate must live in us-east-1. */
export const SITE_SUBDOMAINS = ['dashboard', 'apidoc', 'docs'] as const;

export interface CertificateStackProps extends StackProps {
  readonly domain: DomainConfig;
}

export class CertificateStack extends Stack {
  /** One DNS-validated certificate for dashboard.<domain>, apidoc.<domain> and docs.<domain>. */
  readonly siteCertificate: acm.Certificate;

  constructor(scope: Construct, id: string, props: CertificateStackProps) {
    super(scope, id, props);
    if (this.region !== CLOUDFRONT_CERTIFICATE_REGION) {
      throw new Error(
        `CertificateStack ${id} must be deployed to ${CLOUDFRONT_CERTIFICATE_REGION} (CloudFront reads certificates only there), got env.region "${this.region}".`,
      );
    }
    const zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
      hostedZoneId: props.domain.hostedZoneId,
      zoneName: props.domain.name,
    });
    const [first, ...rest] = SITE_SUBDOMAINS.map((name) => `${name}.${props.domain.name}`);
    this.siteCertificate = new acm.Certificate(this, 'SiteCertificate', {
      domainName: first ?? props.domain.name,
      subjectAlternativeNames: rest,
      validation: acm.CertificateValidation.fromDns(zone),
    });
  }
}

import { App, Aspects, type CfnElement, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { featureFlags } from '../src/app.js';
import { CloudFrontCertificateRegionCheck } from '../src/aspects/cloudfront-certificate-region.js';
import { synthStage, temporaryFolder } from './support/synth.js';

const env = { account: '111111111111' };

/** Builds an app with a distribution in `siteRegion` and its certificate in a stack of `certificateRegion`. */
function appWithCertificate(certificateRegion: string | undefined, siteRegion: string | undefined) {
  const app = new App({ context: featureFlags(), outdir: temporaryFolder() });
  Aspects.of(app).add(new CloudFrontCertificateRegionCheck());
  const site = new Stack(app, 'Site', {
    env: siteRegion ? { ...env, region: siteRegion } : undefined,
    crossRegionReferences: siteRegion !== undefined && certificateRegion !== siteRegion,
  });
  const certificateStack =
    certificateRegion === siteRegion
      ? site
      : new Stack(app, 'Certificates', { env: { ...env, region: certificateRegion } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(certificateStack, 'Zone', {
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    zoneName: 'example.org',
  });
  const certificate = new acm.Certificate(certificateStack, 'Certificate', {
    domainName: 'www.example.org',
    validation: acm.CertificateValidation.fromDns(zone),
  });
  new cloudfront.Distribution(site, 'Distribution', {
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(new s3.Bucket(site, 'Bucket')),
    },
    domainNames: ['www.example.org'],
    certificate,
  });
  return { app, site };
}

describe('CloudFront certificate region check', () => {
  it('fails synth for a certificate in eu-central-1', () => {
    const { app, site } = appWithCertificate('eu-central-1', 'eu-central-1');
    expect(() => app.synth()).toThrow(
      /needs a certificate in us-east-1, but certificate Site\/Certificate\/Resource is in region eu-central-1/,
    );
    // The failed synth left the error on the distribution's metadata.
    const distribution = site.node.findAll().find((node) => node instanceof cloudfront.CfnDistribution);
    const errors = distribution?.node.metadata
      .filter((entry) => entry.type === 'aws:cdk:error')
      .map((entry) => entry.data);
    expect(errors).toEqual([
      expect.stringContaining('Create the certificate in a stack with env.region "us-east-1"'),
    ]);
  });

  it('fails synth for an environment-agnostic stack', () => {
    const { app } = appWithCertificate(undefined, undefined);
    expect(() => app.synth()).toThrow(/cannot be determined at synth time/);
  });

  it('passes for a us-east-1 certificate stack', () => {
    const { app, site } = appWithCertificate('us-east-1', 'eu-central-1');
    app.synth();
    expect(Annotations.fromStack(site).findError('*', Match.anyValue())).toEqual([]);
  });

  it('accepts the prod layout', async () => {
    const { assembly, certificates, platform } = await synthStage('prod');
    expect(assembly.certificates?.region).toBe('us-east-1');
    expect(assembly.platform.region).toBe('eu-central-1');
    certificates?.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'dashboard.katapp.example.org',
      SubjectAlternativeNames: ['apidoc.katapp.example.org', 'docs.katapp.example.org'],
      ValidationMethod: 'DNS',
    });
    const certificateId = assembly.certificates?.getLogicalId(
      assembly.certificates.siteCertificate.node.defaultChild as CfnElement,
    );
    const outputs = certificates?.toJSON().Outputs as Record<string, { Value: unknown }>;
    const distributions = Object.values(platform.findResources('AWS::CloudFront::Distribution'));
    expect(distributions).toHaveLength(3);
    for (const distribution of distributions) {
      const viewer = distribution.Properties.DistributionConfig.ViewerCertificate;
      expect(viewer.MinimumProtocolVersion).toBe('TLSv1.2_2021');
      // The ARN is an output of the us-east-1 stack read across regions, and that output is the site certificate.
      const reference = viewer.AcmCertificateArn['Fn::GetStackOutput'];
      expect(reference).toMatchObject({ StackName: 'KatApp-prod-certificates', Region: 'us-east-1' });
      expect(outputs[reference.OutputName]?.Value).toEqual({ Ref: certificateId });
    }
  });
});

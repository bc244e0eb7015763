import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import { featureFlags } from '../src/app.js';
import { MISSING_BUILD_WARNING, StaticSite, type StaticSiteProps } from '../src/constructs/static-site.js';
import { temporaryFolder } from './support/synth.js';

function siteStack(props: Partial<StaticSiteProps>) {
  const app = new App({ context: featureFlags(), outdir: temporaryFolder() });
  const stack = new Stack(app, 'Sites', { env: { account: '111111111111', region: 'eu-central-1' } });
  const site = new StaticSite(stack, 'Docs', {
    siteName: 'docs',
    buildDirectory: path.join(tmpdir(), 'katapp-no-such-build'),
    buildTarget: 'docs',
    contentSecurityPolicy: "default-src 'self'",
    logBucket: new s3.Bucket(stack, 'Logs'),
    ...props,
  });
  return { stack, site };
}

function builtSite(): string {
  const directory = temporaryFolder();
  writeFileSync(path.join(directory, 'index.html'), '<!doctype html><title>docs</title>');
  return directory;
}

describe('StaticSite', () => {
  it('rejects an invalidation path without a leading slash', () => {
    expect(() => siteStack({ invalidationPaths: ['index.html'] })).toThrow(
      'StaticSite docs: Distribution paths must start with "/", got "index.html". Write "/index.html" instead.',
    );
  });

  it('rejects a domain without a certificate', () => {
    expect(() => siteStack({ domainName: 'docs.example.org' })).toThrow(
      'domainName and certificate must be given together',
    );
  });

  it('uploads the build and invalidates everything', () => {
    const { stack } = siteStack({ buildDirectory: builtSite() });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::CDKBucketDeployment', {
      DistributionPaths: ['/*'],
      DistributionId: { Ref: Match.stringLikeRegexp('^DocsDistribution') },
      Prune: true,
    });
    for (const paths of Object.values(template.findResources('Custom::CDKBucketDeployment')).map(
      (resource) => resource.Properties.DistributionPaths as string[],
    )) {
      for (const invalidation of paths) {
        expect(invalidation.startsWith('/')).toBe(true);
      }
    }
  });

  it('warns about a missing build folder', () => {
    const { stack, site } = siteStack({});
    expect(site.deployment).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('Custom::CDKBucketDeployment', 0);
    Annotations.fromStack(stack).hasWarning(
      '/Sites/Docs',
      Match.stringLikeRegexp(
        `katapp-no-such-build does not exist\\. Run "make docs" before synth or deploy\\..*${MISSING_BUILD_WARNING}`,
      ),
    );
  });

  it('serves index.html for missing paths of a single-page app', () => {
    const { stack } = siteStack({ singlePageApplication: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        CustomErrorResponses: [
          { ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
          { ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html', ErrorCachingMinTTL: 0 },
        ],
      }),
    });
    template.resourceCountIs('AWS::CloudFront::Function', 0);
  });

  it('sends security headers', () => {
    const { stack } = siteStack({});
    Template.fromStack(stack).hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: {
          ContentSecurityPolicy: { ContentSecurityPolicy: "default-src 'self'", Override: true },
          ContentTypeOptions: { Override: true },
          FrameOptions: { FrameOption: 'DENY', Override: true },
          ReferrerPolicy: { ReferrerPolicy: 'strict-origin-when-cross-origin', Override: true },
          StrictTransportSecurity: {
            AccessControlMaxAgeSec: 63072000,
            IncludeSubdomains: true,
            Preload: true,
            Override: true,
          },
        },
      }),
    });
  });
});

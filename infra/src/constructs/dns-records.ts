/** Route 53 alias records for the stage's public names, created only when a hosted zone is configured. */
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { pascalCase } from '../names.js';

export interface DnsRecordsProps {
  readonly zone: route53.IHostedZone;
  /** Distributions by subdomain, e.g. `dashboard` → the dashboard distribution. */
  readonly distributions: Readonly<Record<string, cloudfront.IDistribution>>;
  /** The REST API custom domain, published as `api`. */
  readonly restDomain: apigateway.IDomainName;
  /** The WebSocket API custom domain, published as `ws`. */
  readonly webSocketDomain: apigwv2.IDomainName;
}

/**
 * An A alias per name (api, ws and each site) plus an AAAA alias for each CloudFront site, because the
 * distributions serve IPv6 as well.
 */
export class DnsRecords extends Construct {
  readonly records: route53.RecordSet[] = [];

  constructor(scope: Construct, id: string, props: DnsRecordsProps) {
    super(scope, id);
    for (const [name, distribution] of Object.entries(props.distributions)) {
      if (!/^[a-z0-9-]+$/.test(name)) {
        throw new Error(
          `DnsRecords: subdomain "${name}" must be one DNS label of lower-case letters, digits and dashes.`,
        );
      }
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(distribution));
      const id = pascalCase(name);
      this.records.push(new route53.ARecord(this, `${id}A`, { zone: props.zone, recordName: name, target }));
      this.records.push(
        new route53.AaaaRecord(this, `${id}Aaaa`, { zone: props.zone, recordName: name, target }),
      );
    }
    this.records.push(
      new route53.ARecord(this, 'ApiA', {
        zone: props.zone,
        recordName: 'api',
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(props.restDomain)),
      }),
    );
    this.records.push(
      new route53.ARecord(this, 'WsA', {
        zone: props.zone,
        recordName: 'ws',
        target: route53.RecordTarget.fromAlias(
          new targets.ApiGatewayv2DomainProperties(
            props.webSocketDomain.regionalDomainName,
            props.webSocketDomain.regionalHostedZoneId,
          ),
        ),
      }),
    );
  }
}

// Assertions on the synthesized main stack of both stages, built from the real generated contract and
// the real handler entry files.
import { pathToFileURL } from 'node:url';
import type { CfnElement } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { dataTable } from '../../handlers/src/data/tables.js';
import type { StageName } from '../src/config.js';
import {
  executeApiPath,
  listRestOperations,
  loadRestApiDefinition,
} from '../src/contract/rest-definition.js';
import { loadWebSocketRouteTable } from '../src/contract/websocket-routes.js';
import { FUNCTION_SPECS } from '../src/functions.js';
import { repositoryPaths } from '../src/paths.js';
import { flatten, resourcesOfType, STAGE_OVERRIDES, synthStage, TEST_DOMAIN } from './support/synth.js';

const stages: StageName[] = ['dev', 'prod'];
const { definition } = loadRestApiDefinition(repositoryPaths.restApiDefinition);
const operations = listRestOperations(definition);

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function asArray<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Collects every IAM statement of a template: inline role and user policies, AWS::IAM::Policy and managed policies. */
function allStatements(
  template: import('aws-cdk-lib/assertions').Template,
): { owner: string; statement: Statement }[] {
  const found: { owner: string; statement: Statement }[] = [];
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    for (const [id, resource] of resourcesOfType(template, type)) {
      const document = resource.Properties.PolicyDocument as { Statement: Statement[] };
      for (const statement of document.Statement) {
        found.push({ owner: id, statement });
      }
    }
  }
  for (const type of ['AWS::IAM::Role', 'AWS::IAM::User']) {
    for (const [id, resource] of resourcesOfType(template, type)) {
      for (const policy of (resource.Properties.Policies ?? []) as {
        PolicyDocument: { Statement: Statement[] };
      }[]) {
        for (const statement of policy.PolicyDocument.Statement) {
          found.push({ owner: id, statement });
        }
      }
    }
  }
  return found;
}

/** Statements attached to the execution role of function `name`. */
function functionStatements(stage: Awaited<ReturnType<typeof synthStage>>, name: string): Statement[] {
  const fn = stage.assembly.platform.functions.function(name as never);
  const roleId = stage.assembly.platform.getLogicalId(fn.role?.node.defaultChild as CfnElement);
  const policies = resourcesOfType(stage.platform, 'AWS::IAM::Policy').filter(([, resource]) =>
    ((resource.Properties.Roles ?? []) as unknown[]).some((role) => flatten(role) === `<Ref:${roleId}>`),
  );
  return policies.flatMap(
    ([, resource]) => (resource.Properties.PolicyDocument as { Statement: Statement[] }).Statement,
  );
}

describe.each(stages)('stage %s', (stageName) => {
  it('passes cdk-nag AwsSolutions', async () => {
    const stage = await synthStage(stageName);
    expect(stage.assembly.nag.validateScope(stage.assembly.platform).violations).toEqual([]);
    if (stage.assembly.certificates) {
      expect(stage.assembly.nag.validateScope(stage.assembly.certificates).violations).toEqual([]);
    }
  });

  it('creates alias records only with a domain', async () => {
    const { platform } = await synthStage(stageName);
    const records = resourcesOfType(platform, 'AWS::Route53::RecordSet');
    if (STAGE_OVERRIDES[stageName].domain === undefined) {
      expect(records).toHaveLength(0);
      return;
    }
    const aRecords = records
      .filter(([, record]) => record.Properties.Type === 'A')
      .map(([, record]) => record.Properties.Name)
      .sort();
    expect(aRecords).toEqual(
      ['api', 'apidoc', 'dashboard', 'docs', 'ws'].map((name) => `${name}.${TEST_DOMAIN.name}.`),
    );
    for (const [, record] of records) {
      expect(record.Properties.HostedZoneId).toBe(TEST_DOMAIN.hostedZoneId);
      expect(record.Properties.AliasTarget).toBeDefined();
    }
  });

  it('builds the tables from the handler definitions', async () => {
    const { platform } = await synthStage(stageName);
    const retain = stageName === 'prod';
    platform.resourceCountIs('AWS::DynamoDB::Table', 2);
    platform.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: retain ? 'Retain' : 'Delete',
      Properties: Match.objectLike({
        TableName: `katapp-${stageName}-data`,
        KeySchema: [
          { AttributeName: dataTable.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: dataTable.sortKey.name, KeyType: 'RANGE' },
        ],
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        DeletionProtectionEnabled: retain,
        GlobalSecondaryIndexes: dataTable.globalSecondaryIndexes.map((index) =>
          Match.objectLike({ IndexName: index.indexName, Projection: { ProjectionType: 'ALL' } }),
        ),
      }),
    });
    for (const [, table] of resourcesOfType(platform, 'AWS::DynamoDB::Table')) {
      expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true });
    }
  });

  it('blocks public access and requires TLS on every bucket', async () => {
    const { platform } = await synthStage(stageName);
    const buckets = resourcesOfType(platform, 'AWS::S3::Bucket');
    expect(buckets.length).toBe(5);
    const policies = resourcesOfType(platform, 'AWS::S3::BucketPolicy');
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration, id).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find(([, candidate]) => flatten(candidate.Properties.Bucket) === `<Ref:${id}>`);
      const statements = (
        policy?.[1].Properties.PolicyDocument as { Statement: Record<string, unknown>[] } | undefined
      )?.Statement;
      expect(statements, `bucket policy of ${id}`).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('configures the photo bucket', async () => {
    const { platform, assembly } = await synthStage(stageName);
    const dashboardOrigin =
      stageName === 'prod'
        ? `https://dashboard.${TEST_DOMAIN.name}`
        : `https://<${assembly.platform.getLogicalId(assembly.platform.sites.dashboard.distribution.node.defaultChild as CfnElement)}.DomainName>`;
    const photos = resourcesOfType(platform, 'AWS::S3::Bucket').find(([id]) => id.startsWith('PhotosBucket'));
    expect(photos).toBeDefined();
    const properties = photos?.[1].Properties ?? {};
    expect(properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    const rule = (
      properties.CorsConfiguration as { CorsRules: { AllowedOrigins: unknown[]; AllowedMethods: string[] }[] }
    ).CorsRules[0];
    expect(rule?.AllowedOrigins.map(flatten)).toEqual([dashboardOrigin]);
    expect(rule?.AllowedMethods).toContain('PUT');
    const lifecycle = (properties.LifecycleConfiguration as { Rules: Record<string, unknown>[] }).Rules;
    expect(lifecycle).toContainEqual(
      expect.objectContaining({ TagFilters: [{ Key: 'katapp:mode', Value: 'drill' }], Status: 'Enabled' }),
    );
    expect(lifecycle).toContainEqual(
      expect.objectContaining({ NoncurrentVersionExpiration: expect.anything() }),
    );
  });

  it('grants API Gateway each operation with its method and path', async () => {
    const stage = await synthStage(stageName);
    const stack = stage.assembly.platform;
    const apiId = stack.getLogicalId(stack.restApi.api.node.defaultChild as CfnElement);
    const permissions = resourcesOfType(stage.platform, 'AWS::Lambda::Permission').filter(
      ([, permission]) => permission.Properties.Principal === 'apigateway.amazonaws.com',
    );
    const restArns = permissions
      .map(([, permission]) => ({
        fn: flatten(permission.Properties.FunctionName),
        arn: flatten(permission.Properties.SourceArn),
      }))
      .filter((entry) => entry.arn.includes(`<Ref:${apiId}>`));
    const prefix = `arn:aws:execute-api:eu-central-1:111111111111:<Ref:${apiId}>/`;

    const lambdaOperations = operations.filter((operation) => operation.functionName !== undefined);
    expect(lambdaOperations.length).toBeGreaterThan(0);
    for (const operation of lambdaOperations) {
      const fn = stack.functions.function(operation.functionName as never);
      const fnArn = `<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>`;
      const expected = `${prefix}*/${operation.method}${executeApiPath(operation.path)}`;
      expect(restArns, `${operation.operationId}`).toContainEqual({ fn: fnArn, arn: expected });
    }
    for (const { arn } of restArns) {
      expect(arn).not.toMatch(/[{}]/);
      expect(arn).not.toContain('/ANY/');
    }
    const operationArns = restArns.filter((entry) => !entry.arn.endsWith('/authorizers/*'));
    expect(operationArns).toHaveLength(lambdaOperations.length);
  });

  it('integrates every operation with its function', async () => {
    const stage = await synthStage(stageName);
    const stack = stage.assembly.platform;
    const [, api] = resourcesOfType(stage.platform, 'AWS::ApiGateway::RestApi')[0] ?? [];
    const body = api?.Properties.Body as { paths: Record<string, Record<string, Record<string, unknown>>> };
    expect(JSON.stringify(body)).not.toContain('KatAppFunctionUri');
    for (const operation of operations) {
      const integration = body.paths[operation.path]?.[operation.method.toLowerCase()]?.[
        'x-amazon-apigateway-integration'
      ] as { uri?: unknown; httpMethod?: string; type: string } | undefined;
      expect(integration, `${operation.method} ${operation.path}`).toBeDefined();
      if (operation.functionName === undefined) {
        continue;
      }
      const fn = stack.functions.function(operation.functionName as never);
      expect(integration?.httpMethod).toBe('POST');
      expect(flatten(integration?.uri)).toBe(
        `arn:aws:apigateway:eu-central-1:lambda:path/2015-03-31/functions/<${stack.getLogicalId(fn.node.defaultChild as CfnElement)}.Arn>/invocations`,
      );
    }
  });

  it('covers every route of the generated route table', async () => {
    const { routes } = (await import(pathToFileURL(repositoryPaths.operationRoutes).href)) as {
      routes: readonly { operationId: string; method: string; path: string; function: string }[];
    };
    expect(routes.length).toBeGreaterThan(0);
    for (const route of routes) {
      const operation = operations.find(
        (candidate) => candidate.method === route.method.toUpperCase() && candidate.path === route.path,
      );
      expect(operation, route.operationId).toBeDefined();
      expect(operation?.functionName, route.operationId).toBe(route.function);
    }
  });

  it('runs every function on nodejs24.x arm64 with the shared environment', async () => {
    const { platform } = await synthStage(stageName);
    const functions = resourcesOfType(platform, 'AWS::Lambda::Function').filter(([, fn]) =>
      String(fn.Properties.FunctionName ?? '').startsWith(`katapp-${stageName}-`),
    );
    expect(functions.map(([, fn]) => fn.Properties.FunctionName).sort()).toEqual(
      [
        ...FUNCTION_SPECS.map((spec) => `katapp-${stageName}-${spec.name}`),
        `katapp-${stageName}-keygen`,
      ].sort(),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs24.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      if (fn.Properties.FunctionName === `katapp-${stageName}-keygen`) {
        continue;
      }
      // The handlers carry no X-Ray SDK, so Lambda active tracing is their only trace.
      expect(fn.Properties.TracingConfig, `${fn.Properties.FunctionName}`).toEqual({ Mode: 'Active' });
      const variables = Object.keys(
        (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables,
      );
      for (const name of [
        'DATA_TABLE',
        'CONNECTIONS_TABLE',
        'PHOTO_BUCKET',
        'SIGNING_KEY_SECRET_ARN',
        'WEBSOCKET_CALLBACK_URL',
        'STAGE',
        'LOG_LEVEL',
        'POWERTOOLS_SERVICE_NAME',
        'ACCESS_TOKEN_TTL_SECONDS',
      ]) {
        expect(variables, `${fn.Properties.FunctionName}`).toContain(name);
      }
    }
  });

  it('grants each function only what its spec lists', async () => {
    const stage = await synthStage(stageName);
    for (const spec of FUNCTION_SPECS) {
      const actions = functionStatements(stage, spec.name).flatMap((statement) => asArray(statement.Action));
      expect(actions, spec.name).not.toContain('dynamodb:Scan');
      expect(actions.includes('dynamodb:PutItem'), `${spec.name} PutItem`).toBe(
        spec.dataTable === 'readWrite' || spec.connectionsTable === 'readWrite',
      );
      expect(actions.includes('secretsmanager:GetSecretValue'), `${spec.name} GetSecretValue`).toBe(
        spec.signingKey,
      );
      expect(actions.includes('execute-api:ManageConnections'), `${spec.name} ManageConnections`).toBe(
        spec.manageConnections,
      );
      expect(actions.includes('s3:PutObject'), `${spec.name} PutObject`).toBe(
        spec.photoBucket.includes('write'),
      );
    }
  });

  it('allows no wildcard action in any policy', async () => {
    const stage = await synthStage(stageName);
    const templates = [stage.platform, ...(stage.certificates ? [stage.certificates] : [])];
    for (const template of templates) {
      for (const { owner, statement } of allStatements(template)) {
        if (statement.Effect !== 'Allow') {
          continue;
        }
        // No action "*" at all, which also rules out "*" on "*".
        expect(asArray(statement.Action), `${owner} allows every action`).not.toContain('*');
      }
    }
  });

  it('creates one deploy identity per pipeline', async () => {
    const stage = await synthStage(stageName);
    const kind = STAGE_OVERRIDES[stageName].deployIdentity ?? 'github-oidc';
    const pipelines = ['backend', 'frontend', 'docs'];
    if (kind === 'github-oidc') {
      const roles = resourcesOfType(stage.platform, 'AWS::IAM::Role').filter(([, role]) =>
        JSON.stringify(role.Properties.AssumeRolePolicyDocument).includes('sts:AssumeRoleWithWebIdentity'),
      );
      expect(roles.map(([, role]) => role.Properties.RoleName).sort()).toEqual(
        pipelines.map((pipeline) => `katapp-${stageName}-${pipeline}-deploy`).sort(),
      );
      for (const [, role] of roles) {
        expect(role.Properties.AssumeRolePolicyDocument).toMatchObject({
          Statement: [
            expect.objectContaining({
              Condition: {
                StringEquals: {
                  'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com',
                  'token.actions.githubusercontent.com:sub': `repo:${stage.assembly.config.githubRepository}:environment:${stageName}`,
                },
              },
            }),
          ],
        });
      }
      stage.platform.resourceCountIs('AWS::IAM::User', 0);
    } else {
      const users = resourcesOfType(stage.platform, 'AWS::IAM::User');
      expect(users.map(([, user]) => user.Properties.UserName).sort()).toEqual(
        pipelines.map((pipeline) => `katapp-${stageName}-${pipeline}-deploy`).sort(),
      );
      stage.platform.resourceCountIs('AWS::IAM::AccessKey', 3);
      for (const pipeline of pipelines) {
        stage.platform.hasResourceProperties('AWS::SecretsManager::Secret', {
          Name: `katapp/${stageName}/${pipeline}-deploy-access-key`,
        });
      }
    }
    const identities = stage.assembly.platform.deployIdentities.identities;
    const backendActions = new Set(
      allStatements(stage.platform)
        .filter(({ owner }) => owner.includes('Backend'))
        .flatMap(({ statement }) => asArray(statement.Action)),
    );
    expect(identities.size).toBe(3);
    expect([...backendActions]).toEqual(['sts:AssumeRole']);
  });

  it('builds the WebSocket API from the generated routes', async () => {
    const { platform } = await synthStage(stageName);
    const table = await loadWebSocketRouteTable(repositoryPaths.webSocketRoutes);
    const routeKeys = table.routes.map((route) => route.routeKey);
    expect(table.routeSelectionExpression).toBe('$request.body.action');
    platform.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: table.routeSelectionExpression,
    });
    const routes = resourcesOfType(platform, 'AWS::ApiGatewayV2::Route');
    expect(routes.map(([, route]) => route.Properties.RouteKey).sort()).toEqual([...routeKeys].sort());
    const connect = routes.find(([, route]) => route.Properties.RouteKey === '$connect');
    expect(connect?.[1].Properties.AuthorizationType).toBe('CUSTOM');
    platform.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      IdentitySource: ['route.request.querystring.token'],
    });
    platform.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: stageName, AutoDeploy: true });
  });

  it('feeds the Data stream to the broadcaster', async () => {
    const { platform } = await synthStage(stageName);
    platform.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'LATEST',
      DestinationConfig: { OnFailure: { Destination: Match.anyValue() } },
    });
  });

  it('logs REST access without the Authorization header', async () => {
    const { platform } = await synthStage(stageName);
    const [, restStage] = resourcesOfType(platform, 'AWS::ApiGateway::Stage')[0] ?? [];
    const settings = restStage?.Properties.AccessLogSetting as { Format: string };
    expect(JSON.parse(settings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
    });
    expect(settings.Format.toLowerCase()).not.toContain('authorization');
    expect(restStage?.Properties.MethodSettings).toEqual([
      expect.objectContaining({
        ThrottlingRateLimit: expect.any(Number),
        ThrottlingBurstLimit: expect.any(Number),
        DataTraceEnabled: false,
      }),
    ]);
  });

  it('alarms on errors and throttles', async () => {
    const { platform } = await synthStage(stageName);
    const alarms = resourcesOfType(platform, 'AWS::CloudWatch::Alarm').map(([, alarm]) => alarm.Properties);
    const metric = (name: string) => alarms.filter((alarm) => alarm.MetricName === name).length;
    expect(metric('Errors')).toBe(FUNCTION_SPECS.length);
    expect(metric('Throttles')).toBe(FUNCTION_SPECS.length);
    expect(metric('5XXError')).toBe(1);
    expect(metric('IntegrationError')).toBe(1);
    expect(metric('ExecutionError')).toBe(1);
  });

  it('keeps logs for the configured days', async () => {
    const { platform, assembly } = await synthStage(stageName);
    for (const [id, group] of resourcesOfType(platform, 'AWS::Logs::LogGroup')) {
      expect(group.Properties.RetentionInDays, id).toBe(assembly.config.logRetentionDays);
    }
  });
});

/** One NodejsFunction per handler group, each with its own role, log group and least-privilege grants. */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { LogLevel } from '../config.js';
import { FUNCTION_SPECS, type FunctionName, type FunctionSpec } from '../functions.js';
import { acknowledgeRule, acknowledgeWildcardResource } from '../nag.js';
import { pascalCase } from '../names.js';
import { repositoryPaths } from '../paths.js';
import type { DataTables } from './data-tables.js';
import { bundlingOptions, commonFunctionProps, NODE_RUNTIME_REASON } from './lambda-bundle.js';

export interface KatAppFunctionsProps {
  /** Stage name; functions are named `katapp-<stage>-<name>`. */
  readonly stage: string;
  readonly tables: DataTables;
  readonly photoBucket: s3.IBucket;
  /** Secret holding the ES256 private JWK. */
  readonly signingKeySecret: secretsmanager.ISecret;
  /**
   * Value of SIGNING_KEY_SECRET_ARN. Passing an attribute of the key-generating custom resource makes every
   * function wait until the key exists.
   * @default signingKeySecret.secretArn
   */
  readonly signingKeySecretArn?: string;
  readonly logRetention: logs.RetentionDays;
  readonly logLevel: LogLevel;
  readonly accessTokenTtlSeconds: number;
  /**
   * Removal policy of the log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Functions to build.
   * @default FUNCTION_SPECS (every function of the platform)
   */
  readonly specs?: readonly FunctionSpec[];
  /**
   * Path of a function's entry file.
   * @default handlers/src/functions/<name>.ts
   */
  readonly entryPath?: (name: FunctionName) => string;
}

/** The platform's Lambda functions, addressable by name. */
export class KatAppFunctions extends Construct {
  readonly functions: ReadonlyMap<FunctionName, nodejs.NodejsFunction>;
  readonly specs: readonly FunctionSpec[];

  constructor(scope: Construct, id: string, props: KatAppFunctionsProps) {
    super(scope, id);
    const specs = props.specs ?? FUNCTION_SPECS;
    const names = specs.map((spec) => spec.name);
    const duplicates = names.filter((name, index) => names.indexOf(name) !== index);
    if (duplicates.length > 0) {
      throw new Error(
        `KatAppFunctions: function names must be unique; duplicated: ${duplicates.join(', ')}.`,
      );
    }
    const entryPath = props.entryPath ?? repositoryPaths.functionEntry;
    const functions = new Map<FunctionName, nodejs.NodejsFunction>();
    const dataTable = props.tables.table('Data');
    const connectionsTable = props.tables.table('Connections');

    for (const spec of specs) {
      const functionName = `katapp-${props.stage}-${spec.name}`;
      const constructId = pascalCase(spec.name);
      const logGroup = new logs.LogGroup(this, `${constructId}Logs`, {
        logGroupName: `/aws/lambda/${functionName}`,
        retention: props.logRetention,
        removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
      });
      const role = new iam.Role(this, `${constructId}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Execution role of ${functionName}`,
      });
      logGroup.grantWrite(role);

      const fn = new nodejs.NodejsFunction(this, constructId, {
        ...commonFunctionProps(entryPath(spec.name)),
        functionName,
        description: spec.description,
        memorySize: spec.memorySize,
        timeout: Duration.seconds(spec.timeoutSeconds),
        role,
        logGroup,
        tracing: lambda.Tracing.ACTIVE,
        bundling: bundlingOptions(repositoryPaths.handlersTsconfig),
        environment: {
          DATA_TABLE: dataTable.tableName,
          CONNECTIONS_TABLE: connectionsTable.tableName,
          PHOTO_BUCKET: props.photoBucket.bucketName,
          SIGNING_KEY_SECRET_ARN: props.signingKeySecretArn ?? props.signingKeySecret.secretArn,
          STAGE: props.stage,
          LOG_LEVEL: props.logLevel,
          POWERTOOLS_SERVICE_NAME: `katapp-${spec.name}`,
          POWERTOOLS_METRICS_NAMESPACE: 'KatApp',
          ACCESS_TOKEN_TTL_SECONDS: String(props.accessTokenTtlSeconds),
          NODE_OPTIONS: '--enable-source-maps',
        },
      });

      props.tables.grantAccess(role, 'Data', spec.dataTable);
      props.tables.grantAccess(role, 'Connections', spec.connectionsTable);
      grantPhotoAccess(role, props.photoBucket, spec.photoBucket);
      if (spec.signingKey) {
        role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [props.signingKeySecret.secretArn],
          }),
        );
      }
      acknowledgeRule(
        role,
        'AwsSolutions-IAM5[Resource::*]',
        'The statements on "*" are xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) and, for the stream consumer, dynamodb:ListStreams; none of them supports resource-level permissions.',
      );
      acknowledgeRule(fn, 'AwsSolutions-L1', NODE_RUNTIME_REASON);
      functions.set(spec.name, fn);
    }
    this.functions = functions;
    this.specs = specs;
  }

  /** Returns the function `name`, or throws if the construct has none. */
  function(name: FunctionName): nodejs.NodejsFunction {
    const fn = this.functions.get(name);
    if (!fn) {
      throw new Error(
        `KatAppFunctions has no function "${name}"; defined: ${[...this.functions.keys()].join(', ')}.`,
      );
    }
    return fn;
  }

  /**
   * Sets WEBSOCKET_CALLBACK_URL on every function and lets the functions whose spec lists `manageConnections` post to
   * and delete connections of the WebSocket API stage through the @connections API.
   */
  connectWebSocket(options: { callbackUrl: string; apiId: string; stageName: string }): void {
    const stack = Stack.of(this);
    const connectionsArn = stack.formatArn({
      service: 'execute-api',
      resource: options.apiId,
      resourceName: `${options.stageName}/*/@connections/*`,
    });
    for (const spec of this.specs) {
      const fn = this.function(spec.name);
      fn.addEnvironment('WEBSOCKET_CALLBACK_URL', options.callbackUrl);
      if (spec.manageConnections && fn.role) {
        fn.role.addToPrincipalPolicy(
          new iam.PolicyStatement({
            actions: ['execute-api:ManageConnections'],
            resources: [connectionsArn],
          }),
        );
        acknowledgeWildcardResource(
          fn.role,
          connectionsArn,
          'Connection ids are created at run time; the grant is limited to the @connections API of this stage.',
        );
      }
    }
  }
}

const PHOTO_ACTIONS: Record<FunctionSpec['photoBucket'][number], string[]> = {
  read: ['s3:GetObject'],
  write: ['s3:PutObject', 's3:PutObjectTagging'],
  delete: ['s3:DeleteObject'],
};

function grantPhotoAccess(role: iam.IRole, bucket: s3.IBucket, actions: FunctionSpec['photoBucket']): void {
  if (actions.length === 0) {
    return;
  }
  const s3Actions = actions.flatMap((action) => PHOTO_ACTIONS[action]);
  const objects = bucket.arnForObjects('tenants/*');
  role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: s3Actions, resources: [objects] }));
  acknowledgeWildcardResource(
    role,
    objects,
    'Photo keys are tenants/{tenantId}/photos/{sha256}, so the grant covers the tenants/ prefix of the photo bucket only.',
  );
}

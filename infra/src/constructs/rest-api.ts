/** The REST API imported from the generated API Gateway definition, with one Lambda permission per operation. */
import { createHash } from 'node:crypto';
import { type CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  executeApiPath,
  listAuthorizerFunctions,
  listRestOperations,
  type RestApiDefinition,
  type RestOperation,
  substituteFunctionUris,
} from '../contract/rest-definition.js';
import { acknowledgeRule } from '../nag.js';
import { pascalCase } from '../names.js';

export interface KatAppRestApiProps {
  /** Parsed generated/apigateway/openapi.json with `${KatAppFunctionUri:<name>}` placeholders. */
  readonly definition: RestApiDefinition;
  /** Returns the function for a name used in the definition's placeholders, or undefined if there is none. */
  readonly functionFor: (name: string) => lambda.IFunction | undefined;
  /** API name, e.g. `katapp-dev`. */
  readonly apiName: string;
  /** Deployment stage name, e.g. `dev`. */
  readonly stageName: string;
  /** Steady-state requests per second and burst size for every method of the stage. */
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number };
  readonly logRetention: logs.RetentionDays;
  /**
   * Removal policy of the access log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Custom domain (`api.<domain>`) with a certificate in the stack's region.
   * @default - none, the execute-api endpoint only
   */
  readonly customDomain?: { readonly domainName: string; readonly certificate: acm.ICertificate };
}

/** The access log line: no headers at all, so neither the Authorization header nor cookies reach the log. */
const ACCESS_LOG_FIELDS = {
  requestId: apigateway.AccessLogField.contextRequestId(),
  extendedRequestId: apigateway.AccessLogField.contextExtendedRequestId(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  status: apigateway.AccessLogField.contextStatus(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  authorizerError: apigateway.AccessLogField.contextAuthorizerError(),
  errorMessage: apigateway.AccessLogField.contextErrorMessage(),
  sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
  userAgent: apigateway.AccessLogField.contextIdentityUserAgent(),
};

export class KatAppRestApi extends Construct {
  readonly api: apigateway.SpecRestApi;
  /** Every method of the definition, with the function it calls. */
  readonly operations: readonly RestOperation[];
  readonly domainName?: apigateway.DomainName;
  readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: KatAppRestApiProps) {
    super(scope, id);
    if (!/^[A-Za-z0-9_]+$/.test(props.stageName)) {
      throw new Error(
        `KatAppRestApi: stageName "${props.stageName}" may contain only letters, digits and "_".`,
      );
    }
    const operations = listRestOperations(props.definition);
    const authorizerNames = listAuthorizerFunctions(props.definition);
    const referenced = new Set([...operations.flatMap((op) => op.functionName ?? []), ...authorizerNames]);
    const functions = new Map<string, lambda.IFunction>();
    for (const name of referenced) {
      const fn = props.functionFor(name);
      if (!fn) {
        throw new Error(
          `KatAppRestApi: the API definition integrates with function "${name}", which the app does not define. Add it to FUNCTION_SPECS or fix the operation's tag.`,
        );
      }
      functions.set(name, fn);
    }

    const stack = Stack.of(this);
    const body = substituteFunctionUris(props.definition, (name) => {
      const fn = functions.get(name);
      if (!fn) {
        throw new Error(`KatAppRestApi: no function "${name}" for an integration URI.`);
      }
      return `arn:${stack.partition}:apigateway:${stack.region}:lambda:path/2015-03-31/functions/${fn.functionArn}/invocations`;
    });

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });

    this.api = new apigateway.SpecRestApi(this, 'Api', {
      restApiName: props.apiName,
      apiDefinition: apigateway.ApiDefinition.fromInline(body),
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // API Gateway turns import warnings (e.g. an unsupported schema keyword) into deploy failures.
      failOnWarnings: true,
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        throttlingRateLimit: props.throttling.rateLimit,
        throttlingBurstLimit: props.throttling.burstLimit,
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        // Request and response bodies carry patient data; execution logs keep errors only, without bodies.
        dataTraceEnabled: false,
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    // cfn-lint W2501 reads the API's `Password` schema inside the inline body as a CloudFormation password
    // property; the body is an OpenAPI document, not resource properties.
    (this.api.node.defaultChild as CfnResource).addMetadata('cfn-lint', {
      config: { ignore_checks: ['W2501'] },
    });
    // A SpecRestApi does not redeploy when only the inline body changes. Hashing the definition into the
    // deployment's logical id makes every contract change a new deployment.
    this.api.latestDeployment?.addToLogicalId(
      createHash('sha256').update(JSON.stringify(props.definition)).digest('hex'),
    );

    for (const operation of operations) {
      if (operation.functionName === undefined) {
        continue;
      }
      const fn = functions.get(operation.functionName);
      fn?.addPermission(`Invoke${permissionId(operation)}`, {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: this.api.arnForExecuteApi(operation.method, executeApiPath(operation.path), '*'),
      });
    }
    for (const name of authorizerNames) {
      functions.get(name)?.addPermission('InvokeRestAuthorizer', {
        principal: new iam.ServicePrincipal('apigateway.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: stack.formatArn({
          service: 'execute-api',
          resource: this.api.restApiId,
          resourceName: 'authorizers/*',
        }),
      });
    }
    this.operations = operations;

    if (props.customDomain) {
      this.domainName = new apigateway.DomainName(this, 'Domain', {
        domainName: props.customDomain.domainName,
        certificate: props.customDomain.certificate,
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
        mapping: this.api,
      });
    }

    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG2',
      'Request validators are set per operation inside the imported OpenAPI body (x-amazon-apigateway-request-validator), which cdk-nag cannot read.',
    );
    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG4',
      'Every non-public operation names the Lambda REQUEST authorizer inside the imported OpenAPI body, which cdk-nag cannot read.',
    );
    acknowledgeRule(
      this.api,
      'AwsSolutions-COG4',
      'The API authenticates with KatApp-issued ES256 tokens checked by a Lambda authorizer, not with Cognito.',
    );
    acknowledgeRule(
      this.api,
      'AwsSolutions-APIG3',
      'No WAF web ACL yet: the stage is throttled and every non-public operation needs a token.',
    );
    acknowledgeRule(
      this.api,
      'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      'API Gateway execution logging needs this AWS managed role policy on the account-level CloudWatch role.',
    );
  }
}

/** Returns the construct id fragment of an operation, e.g. `getPatient` → `GetPatient`. */
function permissionId(operation: RestOperation): string {
  const base = /^[A-Za-z0-9]+$/.test(operation.operationId)
    ? operation.operationId
    : `${operation.method}${operation.path.replace(/[^A-Za-z0-9]/g, '')}`;
  return pascalCase(base);
}

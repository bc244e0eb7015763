// Turns the template's AWS::Lambda::Function resources into local function definitions.

import { S3RVER_CREDENTIALS } from '../services/s3.js';
import type { LocalStack } from '../template/stack.js';
import type { FunctionDefinition } from './runtime.js';

/** Local service endpoints that the AWS SDK inside a function uses. */
export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  secretsManager: string;
  /** Base URL of the @connections API, including the stage path. */
  apiGatewayManagement: string;
  /**
   * Local replacements for the stack's own execute-api URLs, e.g. the WebSocket callback URL
   * `https://{id}.execute-api.{region}.amazonaws.com/dev` becomes `http://127.0.0.1:3001/dev`.
   */
  apiUrlRewrites: Array<{ pattern: RegExp; replacement: string }>;
}

// s3rver accepts only its own key id (and checks no SigV4 signature); DynamoDB Local accepts any key.
const LOCAL_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
};

/** Builds the definition of every function in the stack with its environment pointed at local services. */
export function functionDefinitions(stack: LocalStack, endpoints: LocalEndpoints): FunctionDefinition[] {
  return stack.resourcesOfType('AWS::Lambda::Function').map((resource) => {
    const properties = resource.properties;
    const name = stack.physicalName(resource.logicalId);
    const memorySize = Number(properties.MemorySize ?? 128);
    const variables = ((properties.Environment as { Variables?: Record<string, unknown> } | undefined)
      ?.Variables ?? {}) as Record<string, unknown>;
    const functionVariables = Object.fromEntries(
      Object.entries(variables).map(([key, value]) => [key, localizeApiUrls(String(value), endpoints)]),
    );
    const environment: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      AWS_REGION: stack.region,
      AWS_DEFAULT_REGION: stack.region,
      ...LOCAL_CREDENTIALS,
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_LAMBDA_FUNCTION_NAME: name,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memorySize),
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: 'local',
      _HANDLER: String(properties.Handler ?? 'index.handler'),
      NODE_OPTIONS: '',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: endpoints.dynamodb,
      AWS_ENDPOINT_URL_S3: endpoints.s3,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoints.secretsManager,
      AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: endpoints.apiGatewayManagement,
      ...functionVariables,
    };
    return {
      logicalId: resource.logicalId,
      name,
      displayName: displayNameOf(resource.logicalId, resource.metadata, properties),
      arn: String(stack.getAtt(resource.logicalId, 'Arn')),
      assetDir: stack.functionAssetDir(resource.logicalId),
      handler: String(properties.Handler ?? 'index.handler'),
      timeoutSeconds: Number(properties.Timeout ?? 3),
      memorySize,
      environment,
    };
  });
}

/** Replaces execute-api URLs of the stack's own APIs with their local URLs. */
export function localizeApiUrls(value: string, endpoints: LocalEndpoints): string {
  return endpoints.apiUrlRewrites.reduce(
    (result, rewrite) => result.replace(rewrite.pattern, rewrite.replacement),
    value,
  );
}

// A readable name for log lines: the construct id CDK recorded (".../Auth/Resource" → "Auth"), else the logical id.
function displayNameOf(
  logicalId: string,
  metadata: Record<string, unknown>,
  properties: Record<string, unknown>,
): string {
  if (typeof properties.FunctionName === 'string') {
    return properties.FunctionName;
  }
  const path = metadata['aws:cdk:path'];
  if (typeof path === 'string') {
    const segments = path.split('/').filter((segment) => segment !== 'Resource');
    const last = segments.at(-1);
    if (last) {
      return last;
    }
  }
  return logicalId;
}

/**
 * Runs before every test file: points the AWS SDK at the run's DynamoDB Local with fake credentials, and fails
 * the file if any handler code sent a Scan through the shared DynamoDB client.
 */
import { afterAll, expect, inject } from 'vitest';
import { localAwsEnvironment } from './dynamodb-local.js';

// Every AWS service endpoint points at 127.0.0.1: DynamoDB at the run's DynamoDB Local, the others at port 9
// (discard, nothing listens) until a test starts its local stand-in, so no test can reach real AWS.
const unreachable = 'http://127.0.0.1:9';
Object.assign(process.env, localAwsEnvironment, {
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
  AWS_ENDPOINT_URL_S3: unreachable,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: unreachable,
  AWS_ENDPOINT_URL_APIGATEWAYMANAGEMENTAPI: unreachable,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: inject('dynamoDbEndpoint'),
  POWERTOOLS_SERVICE_NAME: 'katapp-test',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'SILENT',
  STAGE: 'test',
});

// Imported after the environment is set: the Powertools logger and metrics read it when they are created.
const { installCommandRecorder, recordedScans } = await import('./command-recorder.js');
installCommandRecorder();

afterAll(() => {
  expect(recordedScans(), 'handler code must use Query or GetItem, never Scan').toEqual([]);
});

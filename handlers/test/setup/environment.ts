/** Runs before every test file: points the AWS SDK at the run's DynamoDB Local with fake credentials. */
import { inject } from 'vitest';
import { localAwsEnvironment } from './dynamodb-local.js';

Object.assign(process.env, localAwsEnvironment, {
  AWS_ENDPOINT_URL_DYNAMODB: inject('dynamoDbEndpoint'),
  POWERTOOLS_SERVICE_NAME: 'katapp-test',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_DEV: 'false',
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'SILENT',
  STAGE: 'test',
});

/**
 * The logger and metrics shared by every function of a bundle (see logger.ts and metrics.ts for the formats).
 * Log level: AWS_LAMBDA_LOG_LEVEL, POWERTOOLS_LOG_LEVEL or LOG_LEVEL, in that order, INFO by default. Service
 * name: POWERTOOLS_SERVICE_NAME. Metrics namespace: POWERTOOLS_METRICS_NAMESPACE, KatApp by default;
 * POWERTOOLS_METRICS_DISABLED=true turns the metric lines off. The variable names are those the AWS Lambda
 * Powertools used, which this module replaced, so infra, the local runtime and the tests set them unchanged.
 *
 * NOTE: there is no tracer. Lambda active tracing (set in infra) records each invocation in X-Ray, but DynamoDB and
 * Secrets Manager calls get no subsegments, because the Powertools Tracer with aws-xray-sdk-core added about
 * 120 KiB to every bundle (handlers/README.md, "Logs, metrics and traces").
 */
import { Logger, logLevelFromEnvironment } from './logger.js';
import { Metrics } from './metrics.js';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'katapp';

export const logger = new Logger({ serviceName, logLevel: logLevelFromEnvironment(process.env) });

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'KatApp',
  serviceName,
  disabled: process.env.POWERTOOLS_METRICS_DISABLED?.toLowerCase() === 'true',
});

export { type LogFields, Logger, type LogLevel } from './logger.js';
export { Metrics, MetricUnit } from './metrics.js';

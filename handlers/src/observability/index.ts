/**
 * Powertools logger and metrics shared by every function of a bundle. The logger writes one JSON line per event
 * with the keys service, level, timestamp, requestId, tenantId and operationId.
 * Log level comes from POWERTOOLS_LOG_LEVEL or LOG_LEVEL, the service name from POWERTOOLS_SERVICE_NAME.
 *
 * NOTE: there is no tracer. Lambda active tracing (set in infra) records each invocation in X-Ray, but DynamoDB and
 * Secrets Manager calls get no subsegments, because the Powertools Tracer with aws-xray-sdk-core added about
 * 120 KiB to every bundle (handlers/README.md, "Logs, metrics and traces").
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'katapp';

export const logger = new Logger({ serviceName });

/** CloudWatch embedded-metric-format metrics under the namespace KatApp (POWERTOOLS_METRICS_NAMESPACE overrides it). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'KatApp',
  serviceName,
});

export { MetricUnit };

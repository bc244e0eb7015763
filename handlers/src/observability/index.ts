/**
 * Powertools logger, metrics and tracer shared by every function of a bundle. The logger writes one JSON
 * line per event with the keys service, level, timestamp, requestId, tenantId and operationId.
 * Log level comes from POWERTOOLS_LOG_LEVEL or LOG_LEVEL, the service name from POWERTOOLS_SERVICE_NAME.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

const serviceName = process.env.POWERTOOLS_SERVICE_NAME ?? 'katapp';

export const logger = new Logger({ serviceName });

/** CloudWatch embedded-metric-format metrics under the namespace KatApp (POWERTOOLS_METRICS_NAMESPACE overrides it). */
export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'KatApp',
  serviceName,
});

/** X-Ray tracer; Powertools turns it off outside Lambda and when POWERTOOLS_TRACE_ENABLED is false. */
export const tracer = new Tracer({ serviceName });

export { MetricUnit };

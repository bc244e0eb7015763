/** Metrics in the CloudWatch embedded metric format: the shape of the line and its limits. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Metrics, MetricUnit, maxMetricsPerLine } from '../../src/observability/metrics.js';

interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  service: string;
  [metric: string]: unknown;
}

describe('metrics', () => {
  const written: string[] = [];
  const originalStdout = process.stdout.write.bind(process.stdout);

  beforeEach(() => {
    written.length = 0;
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
  });

  afterEach(() => {
    process.stdout.write = originalStdout;
  });

  function documents(): EmfDocument[] {
    return written.map((line) => JSON.parse(line) as EmfDocument);
  }

  it('writes one EMF line with namespace, dimension and values', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-triages' });
    const before = Date.now();
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 42);
    metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
    metrics.publishStoredMetrics();

    expect(written).toHaveLength(1);
    expect(written[0]?.endsWith('\n')).toBe(true);
    expect(written[0]?.trimEnd().includes('\n')).toBe(false);
    const [document] = documents();
    expect(document?._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'KatApp',
        Dimensions: [['service']],
        Metrics: [
          { Name: 'Latency', Unit: 'Milliseconds' },
          { Name: 'ServerErrors', Unit: 'Count' },
        ],
      },
    ]);
    expect(document?._aws.Timestamp).toBeGreaterThanOrEqual(before);
    expect(document?._aws.Timestamp).toBeLessThanOrEqual(Date.now());
    expect(document?.service).toBe('katapp-triages');
    expect(document?.Latency).toBe(42);
    expect(document?.ServerErrors).toBe(1);
  });

  it('writes nothing when no metric was added', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-health' });
    metrics.publishStoredMetrics();
    expect(written).toEqual([]);
  });

  it('clears the metrics it published', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-health' });
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 5);
    metrics.publishStoredMetrics();
    metrics.publishStoredMetrics();
    expect(written).toHaveLength(1);
  });

  it('publishes repeated values of a metric as a list', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-broadcaster' });
    metrics.addMetric('LiveEventsSent', MetricUnit.Count, 3);
    metrics.addMetric('LiveEventsSent', MetricUnit.Count, 0);
    metrics.publishStoredMetrics();

    const [document] = documents();
    expect(document?.LiveEventsSent).toEqual([3, 0]);
    expect(document?._aws.CloudWatchMetrics[0]?.Metrics).toEqual([{ Name: 'LiveEventsSent', Unit: 'Count' }]);
  });

  it('splits more than 100 metrics over several lines', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-unit' });
    for (let index = 0; index < maxMetricsPerLine + 5; index++) {
      metrics.addMetric(`Metric${index}`, MetricUnit.Count, index);
    }
    metrics.publishStoredMetrics();

    const lines = documents();
    expect(lines.map((document) => document._aws.CloudWatchMetrics[0]?.Metrics.length)).toEqual([100, 5]);
    expect(lines[0]?.Metric0).toBe(0);
    expect(lines[1]?.Metric100).toBe(100);
    expect(lines[1]?.Metric0).toBeUndefined();
  });

  it('publishes a metric with 100 values before it takes another', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-unit' });
    for (let index = 0; index < 101; index++) {
      metrics.addMetric('Latency', MetricUnit.Milliseconds, index);
    }
    metrics.publishStoredMetrics();

    const lines = documents();
    expect(lines).toHaveLength(2);
    expect(lines[0]?.Latency).toHaveLength(100);
    expect(lines[1]?.Latency).toBe(100);
  });

  it('writes nothing when disabled', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-unit', disabled: true });
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 5);
    metrics.publishStoredMetrics();
    expect(written).toEqual([]);
  });

  it('rejects invalid names, values and units', () => {
    const metrics = new Metrics({ namespace: 'KatApp', serviceName: 'katapp-unit' });
    expect(() => metrics.addMetric('', MetricUnit.Count, 1)).toThrow(RangeError);
    expect(() => metrics.addMetric('service', MetricUnit.Count, 1)).toThrow(/must not be _aws or service/);
    expect(() => metrics.addMetric('Latency', MetricUnit.Milliseconds, Number.NaN)).toThrow(
      /got the value NaN; it must be a finite number/,
    );
    metrics.addMetric('Latency', MetricUnit.Milliseconds, 1);
    expect(() => metrics.addMetric('Latency', MetricUnit.Seconds, 1)).toThrow(
      'Metric Latency got the unit Seconds, but its stored values use Milliseconds; use one unit per metric.',
    );
  });
});

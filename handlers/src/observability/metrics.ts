/**
 * Metrics in the CloudWatch embedded metric format (EMF): `publishStoredMetrics` writes the stored values as one
 * JSON line on stdout, and CloudWatch Logs turns that line into metrics with the dimension `service`.
 * Format: https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */

/** The units CloudWatch accepts for a metric. */
export const MetricUnit = {
  Seconds: 'Seconds',
  Microseconds: 'Microseconds',
  Milliseconds: 'Milliseconds',
  Bytes: 'Bytes',
  Kilobytes: 'Kilobytes',
  Megabytes: 'Megabytes',
  Gigabytes: 'Gigabytes',
  Terabytes: 'Terabytes',
  Bits: 'Bits',
  Kilobits: 'Kilobits',
  Megabits: 'Megabits',
  Gigabits: 'Gigabits',
  Terabits: 'Terabits',
  Percent: 'Percent',
  Count: 'Count',
  BytesPerSecond: 'Bytes/Second',
  KilobytesPerSecond: 'Kilobytes/Second',
  MegabytesPerSecond: 'Megabytes/Second',
  GigabytesPerSecond: 'Gigabytes/Second',
  TerabytesPerSecond: 'Terabytes/Second',
  BitsPerSecond: 'Bits/Second',
  KilobitsPerSecond: 'Kilobits/Second',
  MegabitsPerSecond: 'Megabits/Second',
  GigabitsPerSecond: 'Gigabits/Second',
  TerabitsPerSecond: 'Terabits/Second',
  CountPerSecond: 'Count/Second',
  None: 'None',
} as const;

export type MetricUnit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** EMF limits: metrics per directive and values per metric in one log line. */
export const maxMetricsPerLine = 100;
export const maxValuesPerMetric = 100;

export interface MetricsOptions {
  /** CloudWatch namespace of every metric. */
  readonly namespace: string;
  /** Value of the `service` dimension. */
  readonly serviceName: string;
  /** When true, `publishStoredMetrics` discards the stored values and writes nothing. Default: false. */
  readonly disabled?: boolean;
}

interface StoredMetric {
  readonly unit: MetricUnit;
  readonly values: number[];
}

export class Metrics {
  readonly #namespace: string;
  readonly #serviceName: string;
  readonly #disabled: boolean;
  readonly #stored = new Map<string, StoredMetric>();

  constructor(options: MetricsOptions) {
    this.#namespace = options.namespace;
    this.#serviceName = options.serviceName;
    this.#disabled = options.disabled ?? false;
  }

  /**
   * Stores one value of a metric until the next `publishStoredMetrics`. Values of the same name are published
   * together as a list. Throws a RangeError for an empty name, a name that the EMF line uses itself (`_aws`, `service`), a non-finite value, or a unit that differs from
   * the one stored for the name.
   */
  addMetric(name: string, unit: MetricUnit, value: number): void {
    if (name.length === 0 || name.length > 255 || name === '_aws' || name === 'service') {
      throw new RangeError(
        `Metric name "${name}" is invalid; it must have 1 to 255 characters and must not be _aws or service.`,
      );
    }
    if (!Number.isFinite(value)) {
      throw new RangeError(`Metric ${name} got the value ${value}; it must be a finite number.`);
    }
    const stored = this.#stored.get(name);
    if (stored !== undefined && stored.unit !== unit) {
      throw new RangeError(
        `Metric ${name} got the unit ${unit}, but its stored values use ${stored.unit}; use one unit per metric.`,
      );
    }
    if (stored !== undefined && stored.values.length >= maxValuesPerMetric) {
      this.publishStoredMetrics();
    }
    if (this.#stored.size >= maxMetricsPerLine && !this.#stored.has(name)) {
      this.publishStoredMetrics();
    }
    const current = this.#stored.get(name);
    if (current === undefined) {
      this.#stored.set(name, { unit, values: [value] });
    } else {
      current.values.push(value);
    }
  }

  /** Writes the stored metrics as one EMF line and clears them. Writes nothing when no metric was added. */
  publishStoredMetrics(): void {
    if (this.#stored.size === 0) {
      return;
    }
    const line = this.#disabled ? undefined : this.#serialize();
    this.#stored.clear();
    if (line !== undefined) {
      process.stdout.write(`${line}\n`);
    }
  }

  #serialize(): string {
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: Date.now(),
        CloudWatchMetrics: [
          {
            Namespace: this.#namespace,
            Dimensions: [['service']],
            Metrics: [...this.#stored].map(([name, { unit }]) => ({ Name: name, Unit: unit })),
          },
        ],
      },
      service: this.#serviceName,
    };
    for (const [name, { values }] of this.#stored) {
      document[name] = values.length === 1 ? values[0] : values;
    }
    return JSON.stringify(document);
  }
}

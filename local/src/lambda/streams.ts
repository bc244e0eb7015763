// DynamoDB stream event source mappings: polls DynamoDB Local's streams and invokes the mapped function
// in batches, with the retry, bisect and partial-batch-failure settings of AWS::Lambda::EventSourceMapping.

import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record as StreamRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { Logger } from '../log.js';
import type { LocalStack } from '../template/stack.js';
import type { FunctionRegistry } from './registry.js';

export interface StreamMapping {
  logicalId: string;
  tableName: string;
  functionReference: string;
  batchSize: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** -1 retries until the record expires, as on AWS. */
  maximumRetryAttempts: number;
  bisectOnError: boolean;
  reportBatchItemFailures: boolean;
  enabled: boolean;
}

/** Reads the stack's event source mappings whose source is a DynamoDB table stream. */
export function streamMappings(stack: LocalStack): StreamMapping[] {
  return stack.resourcesOfType('AWS::Lambda::EventSourceMapping').flatMap((mapping) => {
    const properties = mapping.properties;
    const source = String(properties.EventSourceArn ?? '');
    const tableName = /:table\/([^/]+)\/stream\//.exec(source)?.[1];
    if (!tableName) {
      return [];
    }
    return [
      {
        logicalId: mapping.logicalId,
        tableName,
        functionReference: String(properties.FunctionName),
        batchSize: Number(properties.BatchSize ?? 100),
        startingPosition: properties.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
        maximumRetryAttempts: Number(properties.MaximumRetryAttempts ?? -1),
        bisectOnError: properties.BisectBatchOnFunctionError === true,
        reportBatchItemFailures: ((properties.FunctionResponseTypes as string[] | undefined) ?? []).includes(
          'ReportBatchItemFailures',
        ),
        enabled: properties.Enabled !== false,
      },
    ];
  });
}

/** Converts a record from the streams API to the record shape Lambda delivers (binary values in base64). */
export function toLambdaRecord(
  record: StreamRecord,
  region: string,
  streamArn: string,
): Record<string, unknown> {
  const dynamodb = record.dynamodb ?? {};
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: jsonSafe({
      ...dynamodb,
      ...(dynamodb.NewImage ? { NewImage: repairImage(dynamodb.NewImage as unknown as AttributeMap) } : {}),
      ...(dynamodb.OldImage ? { OldImage: repairImage(dynamodb.OldImage as unknown as AttributeMap) } : {}),
      ApproximateCreationDateTime:
        dynamodb.ApproximateCreationDateTime instanceof Date
          ? Math.floor(dynamodb.ApproximateCreationDateTime.getTime() / 1000)
          : dynamodb.ApproximateCreationDateTime,
    }),
    eventSourceARN: streamArn,
  };
}

type AttributeMap = Record<string, Record<string, unknown>>;

/**
 * NOTE: DynamoDB Local 3.3 writes an empty map attribute to the stream as `{}` instead of `{"M":{}}`, which
 * the SDK's unmarshall rejects ("No value defined"). DynamoDB itself sends `{"M":{}}`, so the record is
 * repaired here, also inside nested maps and lists.
 */
function repairImage(image: AttributeMap): AttributeMap {
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repairAttribute(value)]));
}

function repairAttribute(value: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(value).length === 0) {
    return { M: {} };
  }
  if (value.M && typeof value.M === 'object') {
    return { M: repairImage(value.M as AttributeMap) };
  }
  if (Array.isArray(value.L)) {
    return { L: (value.L as Array<Record<string, unknown>>).map(repairAttribute) };
  }
  return value;
}

function jsonSafe(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return Buffer.from(value).toString('base64');
  }
  if (Array.isArray(value)) {
    return value.map(jsonSafe);
  }
  if (value instanceof Set) {
    return [...value].map(jsonSafe);
  }
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, item]) => item !== undefined)
        .map(([key, item]) => [key, jsonSafe(item)]),
    );
  }
  return value;
}

type Checkpoints = Record<string, string>;

/** How often a poll loop reads the stream's shard list again. */
const DESCRIBE_INTERVAL_MS = 5_000;

/** Polls every enabled stream mapping until stopped. Positions are saved in `checkpointFile` between runs. */
export class StreamPoller {
  private readonly streams: DynamoDBStreamsClient;
  private running = false;
  private readonly loops: Promise<void>[] = [];
  private checkpoints: Checkpoints;
  private readonly wakers = new Set<() => void>();
  /** Wakers of the loops that sleep because their stream had no new records. */
  private readonly idleWakers = new Set<() => void>();

  constructor(
    private readonly options: {
      stack: LocalStack;
      dynamodb: DynamoDBClient;
      endpoint: string;
      functions: FunctionRegistry;
      logger: Logger;
      checkpointFile: string | undefined;
      /** Pause between polls of an idle shard, unless nudge() ends it earlier. Default: 200 ms. */
      pollIntervalMs?: number;
    },
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint: options.endpoint,
      region: options.stack.region,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    const file = options.checkpointFile;
    this.checkpoints =
      file && existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Checkpoints) : {};
  }

  start(): void {
    this.running = true;
    for (const mapping of streamMappings(this.options.stack)) {
      if (mapping.enabled) {
        this.loops.push(this.run(mapping));
      }
    }
  }

  /**
   * Ends the idle pause of every loop, so a stream record written a moment ago is read now rather than after
   * the poll interval. Lambda reads streams continuously; polling only after a pause would add up to 200 ms to
   * every WebSocket event locally. Loops that are delivering or retrying are not affected.
   */
  nudge(): void {
    for (const wake of this.idleWakers) wake();
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const wake of this.wakers) {
      wake();
    }
    await Promise.allSettled(this.loops);
    this.streams.destroy();
  }

  private async run(mapping: StreamMapping): Promise<void> {
    const { logger } = this.options;
    while (this.running) {
      try {
        await this.pollStream(mapping);
      } catch (error) {
        if (!this.running) {
          return;
        }
        logger.log(
          'warn',
          `Stream polling for ${mapping.logicalId} failed, retrying in 1 s: ${String(error)}`,
        );
        await this.sleep(1000);
      }
    }
  }

  private async pollStream(mapping: StreamMapping): Promise<void> {
    const table = await this.options.dynamodb.send(
      new DescribeTableCommand({ TableName: mapping.tableName }),
    );
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) {
      throw new Error(`Table ${mapping.tableName} has no stream; its template declares none.`);
    }
    const iterators = new Map<string, string | undefined>();
    let describedAt = Number.NEGATIVE_INFINITY;
    while (this.running) {
      // New shards appear rarely, so the shard list is read every few seconds rather than on every poll. A shard
      // that just ended triggers a read at once.
      if (performance.now() - describedAt > DESCRIBE_INTERVAL_MS) {
        describedAt = performance.now();
        const description = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
        for (const shard of description.StreamDescription?.Shards ?? []) {
          const shardId = shard.ShardId as string;
          if (iterators.has(shardId)) {
            continue;
          }
          iterators.set(shardId, await this.iteratorFor(streamArn, shardId, mapping));
        }
      }
      let delivered = 0;
      for (const [shardId, iterator] of iterators) {
        if (iterator === undefined) {
          continue;
        }
        const result = await this.streams.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: Math.min(mapping.batchSize, 1000) }),
        );
        const records = result.Records ?? [];
        if (records.length > 0) {
          // deliver() returns once every record was processed or discarded after its retries, so the batch's
          // own next iterator continues after the last delivered record.
          await this.deliver(mapping, streamArn, shardId, records);
          delivered += records.length;
        }
        iterators.set(shardId, result.NextShardIterator);
        if (result.NextShardIterator === undefined) {
          describedAt = Number.NEGATIVE_INFINITY;
        }
      }
      if (delivered === 0) {
        await this.sleep(this.options.pollIntervalMs ?? 200, this.idleWakers);
      }
    }
  }

  private async iteratorFor(
    streamArn: string,
    shardId: string,
    mapping: StreamMapping,
  ): Promise<string | undefined> {
    const checkpoint = this.checkpoints[`${mapping.logicalId}/${shardId}`];
    const result = await this.streams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shardId,
        ...(checkpoint
          ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }
          : { ShardIteratorType: mapping.startingPosition }),
      }),
    );
    return result.ShardIterator;
  }

  /** Invokes the function with one batch, retrying, bisecting or resuming after partial failures. */
  private async deliver(mapping: StreamMapping, streamArn: string, shardId: string, records: StreamRecord[]) {
    const region = this.options.stack.region;
    const pending: StreamRecord[][] = [records];
    while (pending.length > 0 && this.running) {
      const batch = pending.shift() as StreamRecord[];
      let attempts = 0;
      for (;;) {
        const failedFrom = await this.invokeBatch(mapping, batch, region, streamArn);
        if (failedFrom === undefined) {
          break;
        }
        attempts += 1;
        const remaining = batch.slice(failedFrom);
        if (mapping.bisectOnError && remaining.length > 1) {
          const middle = Math.ceil(remaining.length / 2);
          pending.unshift(remaining.slice(0, middle), remaining.slice(middle));
          break;
        }
        if (mapping.maximumRetryAttempts >= 0 && attempts > mapping.maximumRetryAttempts) {
          this.options.logger.log(
            'error',
            `Discarded ${remaining.length} stream records for ${mapping.functionReference} after ${attempts} failed attempts (MaximumRetryAttempts ${mapping.maximumRetryAttempts}).`,
          );
          break;
        }
        batch.splice(0, failedFrom);
        if (!this.running) {
          return;
        }
        await this.sleep(Math.min(1000 * attempts, 10_000));
      }
    }
    const last = records.at(-1)?.dynamodb?.SequenceNumber;
    if (last) {
      this.saveCheckpoint(`${mapping.logicalId}/${shardId}`, last);
    }
  }

  /** Returns undefined when the batch succeeded, else the index of the first record to retry. */
  private async invokeBatch(
    mapping: StreamMapping,
    batch: StreamRecord[],
    region: string,
    streamArn: string,
  ): Promise<number | undefined> {
    const started = performance.now();
    const event = { Records: batch.map((record) => toLambdaRecord(record, region, streamArn)) };
    try {
      const invocation = await this.options.functions.invoke(mapping.functionReference, event);
      this.options.logger.log(
        'info',
        `STREAM ${mapping.tableName} ${batch.length} records ${Math.round(performance.now() - started)} ms ${invocation.functionName} (${invocation.cold ? 'cold' : 'warm'})`,
      );
      if (!mapping.reportBatchItemFailures) {
        return undefined;
      }
      const failures = (
        invocation.payload as { batchItemFailures?: Array<{ itemIdentifier?: string }> } | null
      )?.batchItemFailures;
      if (!failures || failures.length === 0) {
        return undefined;
      }
      const indexes = failures.map((failure) =>
        batch.findIndex((record) => record.dynamodb?.SequenceNumber === failure.itemIdentifier),
      );
      // An identifier that matches no record fails the whole batch, as on AWS.
      const failedFrom = indexes.includes(-1) ? 0 : Math.min(...indexes);
      this.options.logger.log(
        'debug',
        `${mapping.functionReference} reported a failure from record ${JSON.stringify(event.Records[failedFrom]).slice(0, 2000)}`,
      );
      return failedFrom;
    } catch (error) {
      this.options.logger.log(
        'warn',
        `Stream batch for ${mapping.functionReference} failed: ${String(error)}`,
      );
      return 0;
    }
  }

  private saveCheckpoint(key: string, sequenceNumber: string): void {
    this.checkpoints[key] = sequenceNumber;
    const file = this.options.checkpointFile;
    if (file) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(this.checkpoints, null, 2));
    }
  }

  /** Sleeps `ms`; stop() ends every sleep early, and a sleep registered in `alsoWokenBy` also ends there. */
  private sleep(ms: number, alsoWokenBy?: Set<() => void>): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        alsoWokenBy?.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
      alsoWokenBy?.add(wake);
    });
  }
}

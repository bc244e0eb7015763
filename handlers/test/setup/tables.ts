/** Creates fresh, uniquely named Data and Connections tables in DynamoDB Local for one test file. */
import { randomUUID } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  connectionsTable,
  createTableInput,
  dataTable,
  type TableDefinition,
} from '../../src/data/tables.js';

export interface TestTables {
  readonly dataTable: string;
  readonly connectionsTable: string;
  /** Stream ARN of the Data table (NEW_AND_OLD_IMAGES). */
  readonly dataStreamArn: string;
  /** Deletes both tables. */
  drop(): Promise<void>;
}

function testClient(): DynamoDBClient {
  return new DynamoDBClient({});
}

async function createTable(client: DynamoDBClient, definition: TableDefinition, tableName: string) {
  const created = await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: definition.timeToLiveAttribute, Enabled: true },
    }),
  );
  return created.TableDescription;
}

/**
 * Creates both tables under names unique to this call and sets DATA_TABLE and CONNECTIONS_TABLE in process.env,
 * so handler code run afterwards in this test file uses them.
 */
export async function createTestTables(): Promise<TestTables> {
  const client = testClient();
  const prefix = `katapp-test-${randomUUID().slice(0, 8)}`;
  const dataName = `${prefix}-${dataTable.nameSuffix}`;
  const connectionsName = `${prefix}-${connectionsTable.nameSuffix}`;

  const data = await createTable(client, dataTable, dataName);
  await createTable(client, connectionsTable, connectionsName);
  const described = await client.send(new DescribeTableCommand({ TableName: dataName }));
  const dataStreamArn = described.Table?.LatestStreamArn ?? data?.LatestStreamArn;
  if (dataStreamArn === undefined) {
    throw new Error(`Table ${dataName} was created without a stream; check the stream setting in tables.ts.`);
  }

  process.env[dataTable.environmentVariable] = dataName;
  process.env[connectionsTable.environmentVariable] = connectionsName;

  return {
    dataTable: dataName,
    connectionsTable: connectionsName,
    dataStreamArn,
    async drop() {
      await client.send(new DeleteTableCommand({ TableName: dataName }));
      await client.send(new DeleteTableCommand({ TableName: connectionsName }));
      client.destroy();
    },
  };
}

import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestTables, type TestTables } from '../setup/tables.js';

describe('test harness', () => {
  let tables: TestTables;
  const client = new DynamoDBClient({});

  beforeAll(async () => {
    tables = await createTestTables();
  });

  afterAll(async () => {
    await tables.drop();
    client.destroy();
  });

  it('creates the data table with both indexes and a stream', async () => {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tables.dataTable }));
    expect(Table?.GlobalSecondaryIndexes?.map((index) => index.IndexName).sort()).toEqual(['gsi1', 'gsi2']);
    expect(Table?.StreamSpecification?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    expect(process.env.DATA_TABLE).toBe(tables.dataTable);
  });

  it('enables TTL on expiresAt', async () => {
    const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tables.connectionsTable }));
    expect(ttl.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('ENABLED');
  });
});

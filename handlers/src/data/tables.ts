/**
 * DynamoDB table definitions as plain data. The CDK app builds its tables from this module and the
 * tests create theirs from it, so keys, indexes, TTL and streams are declared once.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export type KeyAttributeType = 'S' | 'N' | 'B';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyAttributeType;
}

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  /** Every index projects all attributes, so a Query on it never needs a second read. */
  readonly projection: 'ALL';
}

export interface TableDefinition {
  /** Logical id, also the CloudFormation construct id. */
  readonly id: 'Data' | 'Connections';
  /** Appended to a per-stage prefix to form the physical table name, e.g. `katapp-dev-data`. */
  readonly nameSuffix: string;
  /** Environment variable through which the Lambda functions receive the physical table name. */
  readonly environmentVariable: 'DATA_TABLE' | 'CONNECTIONS_TABLE';
  readonly partitionKey: KeyAttribute;
  readonly sortKey: KeyAttribute;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  /** Attribute holding an expiry time in epoch seconds; DynamoDB deletes the item some time after it. */
  readonly timeToLiveAttribute: string;
  /** Stream view type, or null for a table without a stream. */
  readonly stream: 'NEW_AND_OLD_IMAGES' | null;
  readonly billingMode: 'PAY_PER_REQUEST';
}

const stringKey = (name: string): KeyAttribute => ({ name, type: 'S' });

/** The single table for tenants, users, roles, devices, tokens, audit events and all clinical records. */
export const dataTable: TableDefinition = {
  id: 'Data',
  nameSuffix: 'data',
  environmentVariable: 'DATA_TABLE',
  partitionKey: stringKey('pk'),
  sortKey: stringKey('sk'),
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: stringKey('gsi1pk'), sortKey: stringKey('gsi1sk'), projection: 'ALL' },
    { indexName: 'gsi2', partitionKey: stringKey('gsi2pk'), sortKey: stringKey('gsi2sk'), projection: 'ALL' },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: 'NEW_AND_OLD_IMAGES',
  billingMode: 'PAY_PER_REQUEST',
};

/** WebSocket connections and their disaster subscriptions; items expire with the connection. */
export const connectionsTable: TableDefinition = {
  id: 'Connections',
  nameSuffix: 'connections',
  environmentVariable: 'CONNECTIONS_TABLE',
  partitionKey: stringKey('pk'),
  sortKey: stringKey('sk'),
  globalSecondaryIndexes: [
    { indexName: 'gsi1', partitionKey: stringKey('gsi1pk'), sortKey: stringKey('gsi1sk'), projection: 'ALL' },
  ],
  timeToLiveAttribute: 'expiresAt',
  stream: null,
  billingMode: 'PAY_PER_REQUEST',
};

export const tableDefinitions: readonly TableDefinition[] = [dataTable, connectionsTable];

/** Returns every key attribute of the table and its indexes, each once, as DynamoDB AttributeDefinitions. */
export function attributeDefinitions(definition: TableDefinition): KeyAttribute[] {
  const byName = new Map<string, KeyAttribute>();
  const keys = [
    definition.partitionKey,
    definition.sortKey,
    ...definition.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ];
  for (const key of keys) {
    byName.set(key.name, key);
  }
  return [...byName.values()];
}

/**
 * Builds the CreateTable request for a definition. TTL is not part of CreateTable: call UpdateTimeToLive with
 * `definition.timeToLiveAttribute` afterwards.
 */
export function createTableInput(definition: TableDefinition, tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: definition.billingMode,
    AttributeDefinitions: attributeDefinitions(definition).map((key) => ({
      AttributeName: key.name,
      AttributeType: key.type,
    })),
    KeySchema: [
      { AttributeName: definition.partitionKey.name, KeyType: 'HASH' },
      { AttributeName: definition.sortKey.name, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: definition.globalSecondaryIndexes.map((index) => ({
      IndexName: index.indexName,
      KeySchema: [
        { AttributeName: index.partitionKey.name, KeyType: 'HASH' },
        { AttributeName: index.sortKey.name, KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: index.projection },
    })),
    ...(definition.stream === null
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } }),
  };
}

/**
 * WebSocket connections and their disaster subscriptions in the Connections table.
 *
 * A connection's partition `CONN#<connectionId>` contains the connection item and one item per subscribed
 * disaster. Subscription items carry the index keys `gsi1pk = T#<tenantId>#D#<disasterId>#SUBSCRIBERS`, so the
 * broadcaster finds a disaster's subscribers with one Query, and a copy of the caller's rights, so it can strip
 * identity fields per connection without reading the connection item. Every item expires with the connection
 * (API Gateway closes a WebSocket connection after 2 hours at the latest).
 */
import {
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { batchDelete } from './clinical-items.js';
import { connectionsTableName, documentClient, epochSeconds, tenantPartition } from './table.js';

/** Lifetime of connection items: API Gateway's maximum WebSocket connection duration plus a margin. */
export const CONNECTION_TTL_SECONDS = 2 * 60 * 60 + 5 * 60;

/** Subscriptions one connection may hold; a dashboard watches one disaster at a time. */
export const MAX_SUBSCRIPTIONS_PER_CONNECTION = 10;

export interface ConnectionRecord {
  readonly connectionId: string;
  readonly tenantId: string;
  readonly principalKind: 'user' | 'device';
  readonly principalId: string;
  readonly rights: readonly string[];
  readonly connectedAt: string;
}

export interface Subscriber {
  readonly connectionId: string;
  readonly rights: readonly string[];
}

const CONNECTION_SORT_KEY = '#CONNECTION';
const SUBSCRIPTION_PREFIX = 'SUB#';

function connectionPartition(connectionId: string): string {
  return `CONN#${connectionId}`;
}

function subscribersPartition(tenantId: string, disasterId: string): string {
  return tenantPartition(tenantId, 'D', disasterId, 'SUBSCRIBERS');
}

function subscriptionSortKey(tenantId: string, disasterId: string): string {
  return `${SUBSCRIPTION_PREFIX}${tenantId}#${disasterId}`;
}

/** Stores a new connection; its items expire CONNECTION_TTL_SECONDS after `connectedAt`. */
export async function putConnection(record: ConnectionRecord): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: connectionsTableName(),
      Item: {
        pk: connectionPartition(record.connectionId),
        sk: CONNECTION_SORT_KEY,
        ...record,
        rights: [...record.rights],
        expiresAt: epochSeconds(new Date(record.connectedAt)) + CONNECTION_TTL_SECONDS,
      },
    }),
  );
}

/** Returns the connection, or undefined when it is unknown or its TTL has passed (TTL deletion lags). */
export async function getConnection(connectionId: string, now: Date): Promise<ConnectionRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: connectionsTableName(),
      Key: { pk: connectionPartition(connectionId), sk: CONNECTION_SORT_KEY },
      ConsistentRead: true,
    }),
  );
  if (Item === undefined || (typeof Item.expiresAt === 'number' && Item.expiresAt < epochSeconds(now)))
    return undefined;
  return {
    connectionId: Item.connectionId,
    tenantId: Item.tenantId,
    principalKind: Item.principalKind,
    principalId: Item.principalId,
    rights: Item.rights ?? [],
    connectedAt: Item.connectedAt,
  };
}

/**
 * Returns how many disasters a connection is subscribed to, not counting `exceptDisasterId`, so subscribing
 * again to a disaster that is already subscribed never hits the limit.
 */
export async function countSubscriptions(connectionId: string, exceptDisasterId?: string): Promise<number> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: connectionsTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': connectionPartition(connectionId), ':prefix': SUBSCRIPTION_PREFIX },
      ProjectionExpression: 'disasterId',
      ConsistentRead: true,
    }),
  );
  return (result.Items ?? []).filter((item) => item.disasterId !== exceptDisasterId).length;
}

/**
 * Subscribes a connection to a disaster. The write is conditional on the connection item, so a subscription
 * never outlives a connection that $disconnect already removed. Subscribing twice overwrites the first item.
 */
export async function subscribe(connection: ConnectionRecord, disasterId: string): Promise<void> {
  const table = connectionsTableName();
  const pk = connectionPartition(connection.connectionId);
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          ConditionCheck: {
            TableName: table,
            Key: { pk, sk: CONNECTION_SORT_KEY },
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
        {
          Put: {
            TableName: table,
            Item: {
              pk,
              sk: subscriptionSortKey(connection.tenantId, disasterId),
              gsi1pk: subscribersPartition(connection.tenantId, disasterId),
              gsi1sk: pk,
              connectionId: connection.connectionId,
              tenantId: connection.tenantId,
              disasterId,
              rights: [...connection.rights],
              expiresAt: epochSeconds(new Date(connection.connectedAt)) + CONNECTION_TTL_SECONDS,
            },
          },
        },
      ],
    }),
  );
}

/** Removes one subscription; removing one that does not exist is not an error. */
export async function unsubscribe(connectionId: string, tenantId: string, disasterId: string): Promise<void> {
  await documentClient().send(
    new DeleteCommand({
      TableName: connectionsTableName(),
      Key: { pk: connectionPartition(connectionId), sk: subscriptionSortKey(tenantId, disasterId) },
    }),
  );
}

/** Deletes a connection and all its subscriptions. */
export async function deleteConnection(connectionId: string): Promise<void> {
  const table = connectionsTableName();
  const pk = connectionPartition(connectionId);
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ProjectionExpression: 'pk, sk',
        ExclusiveStartKey: exclusiveStartKey,
        ConsistentRead: true,
      }),
    );
    const keys = (page.Items ?? []).map((item) => ({ pk: item.pk, sk: item.sk }));
    await batchDelete(table, keys);
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
}

/** Lists the connections subscribed to a disaster, with the rights each connection had when it subscribed. */
export async function listSubscribers(
  tenantId: string,
  disasterId: string,
  now: Date,
): Promise<Subscriber[]> {
  const subscribers: Subscriber[] = [];
  const nowSeconds = epochSeconds(now);
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: connectionsTableName(),
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :partition',
        ExpressionAttributeValues: { ':partition': subscribersPartition(tenantId, disasterId) },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      if (typeof item.expiresAt === 'number' && item.expiresAt < nowSeconds) continue;
      subscribers.push({ connectionId: item.connectionId, rights: item.rights ?? [] });
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return subscribers;
}

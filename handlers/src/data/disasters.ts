/**
 * Disaster records and their overview item. Access patterns:
 * - a disaster with its overview counters: Query pk `T#<t>#D#<disasterId>`, sk begins_with `#` (two items)
 * - the whole overview (disaster, counters, every patient): Query pk `T#<t>#D#<disasterId>`, paginated
 * - a tenant's disasters by start time: Query gsi1 gsi1pk `T#<t>#DISASTERS`, gsi1sk `<startedAt>#<id>`
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DisasterMode, DisasterStatus } from '../domain/vocabulary.js';
import { putNew, type TransactWriteItem, toRecord } from './clinical-items.js';
import {
  disasterKey,
  disasterPartition,
  INDEX,
  overviewKey,
  SORT_KEY,
  timeOrderedKey,
} from './clinical-keys.js';
import { type Page, queryFiltered } from './filtered-query.js';
import { overviewRecord } from './overview.js';
import { dataTableName, documentClient } from './table.js';

export interface DisasterPosition {
  lat: number;
  lon: number;
  accuracyMeters?: number | null;
}

export interface DisasterRecord {
  id: string;
  tenantId: string;
  name: string;
  description: string | null;
  mode: DisasterMode;
  status: DisasterStatus;
  position: DisasterPosition;
  radiusKm: number;
  startedAt: string;
  closedAt: string | null;
  createdAt: string;
  createdBy: string;
  /**
   * End of the tenant's retention for this disaster in epoch seconds (DynamoDB TTL). Every item of the
   * disaster (patients, cards, triages) carries the same value, so they expire together.
   */
  expiresAt: number;
}

/** A disaster with the attributes of its overview item (counters and per-stage times). */
export interface DisasterWithOverview {
  disaster: DisasterRecord;
  overview: Record<string, unknown>;
}

function disasterItem(disaster: DisasterRecord): Record<string, unknown> {
  return {
    ...disasterKey(disaster.tenantId, disaster.id),
    gsi1pk: INDEX.disastersByStart(disaster.tenantId),
    gsi1sk: timeOrderedKey(disaster.startedAt, disaster.id),
    type: 'Disaster',
    ...disaster,
  };
}

/** Returns the puts that create a disaster and its empty overview item. */
export function createDisasterItems(disaster: DisasterRecord): TransactWriteItem[] {
  return [
    putNew(disasterItem(disaster)),
    putNew({
      ...overviewKey(disaster.tenantId, disaster.id),
      type: 'DisasterOverview',
      tenantId: disaster.tenantId,
      disasterId: disaster.id,
      expiresAt: disaster.expiresAt,
    }),
  ];
}

/** Returns the disaster, or undefined when the tenant has no disaster with this id. */
export async function getDisaster(tenantId: string, disasterId: string): Promise<DisasterRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: dataTableName(),
      Key: disasterKey(tenantId, disasterId),
      ConsistentRead: true,
    }),
  );
  return Item === undefined ? undefined : toRecord<DisasterRecord>(Item);
}

/** Reads a disaster and its overview item with one Query; undefined when the disaster does not exist. */
export async function getDisasterWithOverview(
  tenantId: string,
  disasterId: string,
): Promise<DisasterWithOverview | undefined> {
  const { Items = [] } = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': disasterPartition(tenantId, disasterId), ':prefix': '#' },
      ConsistentRead: true,
    }),
  );
  const disasterItemRead = Items.find((item) => item.sk === SORT_KEY.disaster);
  if (disasterItemRead === undefined) return undefined;
  return { disaster: toRecord<DisasterRecord>(disasterItemRead), overview: overviewRecord(Items) };
}

/** Returns a condition check that cancels a transaction unless the disaster is still active. */
export function disasterActiveCheck(tenantId: string, disasterId: string): TransactWriteItem {
  return {
    ConditionCheck: {
      TableName: dataTableName(),
      Key: disasterKey(tenantId, disasterId),
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active' },
    },
  };
}

/** Returns the update that closes an active disaster; it fails when the disaster is already closed. */
export function closeDisasterItem(disaster: DisasterRecord, closedAt: string): TransactWriteItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: disasterKey(disaster.tenantId, disaster.id),
      UpdateExpression: 'SET #status = :closed, closedAt = :closedAt',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':closed': 'closed', ':active': 'active', ':closedAt': closedAt },
    },
  };
}

export interface DisasterFilter {
  /** Inclusive lower bound of `startedAt`, UTC with milliseconds. */
  startedAfter?: string;
  /** Inclusive upper bound of `startedAt`, UTC with milliseconds. */
  startedBefore?: string;
  status?: DisasterStatus;
  mode?: DisasterMode;
  /** Keeps disasters for which this returns true (the distance filter). */
  accept?: (disaster: DisasterRecord) => boolean;
}

/** Lists a tenant's disasters, newest start first. */
export async function listDisasters(
  tenantId: string,
  filter: DisasterFilter,
  limit: number,
  cursor: string | undefined,
): Promise<Page<DisasterRecord>> {
  const partition = INDEX.disastersByStart(tenantId);
  const values: Record<string, unknown> = { ':partition': partition };
  let keyCondition = 'gsi1pk = :partition';
  // The sort key is `<startedAt>#<id>`; `~` sorts after every id character, so the upper bound is inclusive.
  if (filter.startedAfter !== undefined && filter.startedBefore !== undefined) {
    keyCondition += ' AND gsi1sk BETWEEN :after AND :before';
    values[':after'] = filter.startedAfter;
    values[':before'] = `${filter.startedBefore}~`;
  } else if (filter.startedAfter !== undefined) {
    keyCondition += ' AND gsi1sk >= :after';
    values[':after'] = filter.startedAfter;
  } else if (filter.startedBefore !== undefined) {
    keyCondition += ' AND gsi1sk <= :before';
    values[':before'] = `${filter.startedBefore}~`;
  }

  const names: Record<string, string> = {};
  const filters: string[] = [];
  if (filter.status !== undefined) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.mode !== undefined) {
    filters.push('#mode = :mode');
    names['#mode'] = 'mode';
    values[':mode'] = filter.mode;
  }

  return queryFiltered({
    input: {
      TableName: dataTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: keyCondition,
      ...(filters.length === 0
        ? {}
        : { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }),
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
    },
    keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    partition,
    partitionAttribute: 'gsi1pk',
    limit,
    cursor,
    select: (item) => {
      const disaster = toRecord<DisasterRecord>(item);
      return filter.accept === undefined || filter.accept(disaster) ? disaster : undefined;
    },
  });
}

/** Helpers shared by the clinical data modules: transaction item type, item ↔ record conversion, time keys. */
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  BatchWriteCommand,
  TransactWriteCommand,
  type TransactWriteItem,
} from '@aws-sdk/lib-dynamodb';
import { dataTableName, documentClient } from './table.js';

export type { TransactWriteItem };

/**
 * Attributes that exist only for DynamoDB (keys, index keys, bookkeeping) and never reach a record. `expiresAt`
 * does reach it: clinical records carry the retention deadline of their disaster.
 */
const STORAGE_ATTRIBUTES = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'version']);

/** Returns an item without its storage attributes, typed as the record it stores. */
export function toRecord<T>(item: Record<string, unknown>): T {
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!STORAGE_ATTRIBUTES.has(name)) record[name] = value;
  }
  return record as T;
}

/**
 * Normalises an RFC 3339 time to UTC with millisecond precision (`2025-06-01T10:00:00.000Z`). Index sort keys
 * compare times as strings, which is only correct when every time has this one form.
 */
export function utcTime(time: string | Date): string {
  const date = typeof time === 'string' ? new Date(time) : time;
  if (Number.isNaN(date.getTime())) throw new RangeError(`Invalid time: ${JSON.stringify(time)}`);
  return date.toISOString();
}

/** Sends one TransactWriteItems request on the Data table's document client. */
export async function transactWrite(items: TransactWriteItem[]): Promise<void> {
  await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
}

/** Wraps a Put of a new item on the Data table that fails when the key already exists. */
export function putNew(item: Record<string, unknown>): TransactWriteItem {
  return {
    Put: { TableName: dataTableName(), Item: item, ConditionExpression: 'attribute_not_exists(pk)' },
  };
}

/** A Data table key: partition and sort key. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** Identifies a key in the result of readItems. */
export function keyId(key: ItemKey): string {
  return `${key.pk}\u0000${key.sk}`;
}

/**
 * Reads up to 100 keys of the Data table with one strongly consistent BatchGetItem and returns the items found,
 * by keyId. Keys that DynamoDB leaves unprocessed under load are read again.
 */
export async function readItems(keys: readonly ItemKey[]): Promise<Map<string, Record<string, unknown>>> {
  const table = dataTableName();
  const unique: Record<string, unknown>[] = [
    ...new Map(keys.map((key) => [keyId(key), { ...key }])).values(),
  ];
  if (unique.length > 100) throw new Error(`readItems reads at most 100 keys at once, got ${unique.length}.`);
  const found = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] | undefined = unique;
  for (let attempt = 0; pending !== undefined && pending.length > 0; attempt++) {
    if (attempt > 8) {
      throw new Error(`BatchGetItem left ${pending.length} keys unprocessed after ${attempt} attempts.`);
    }
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
    const result: BatchGetCommandOutput = await documentClient().send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of result.Responses?.[table] ?? []) {
      found.set(keyId({ pk: String(item.pk), sk: String(item.sk) }), item);
    }
    pending = result.UnprocessedKeys?.[table]?.Keys;
  }
  return found;
}

/** Deletes keys in batches of 25 (the BatchWriteItem maximum) and resends unprocessed keys with backoff. */
export async function batchDelete(table: string, keys: readonly Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < keys.length; start += 25) {
    let requests = keys.slice(start, start + 25).map((key) => ({ DeleteRequest: { Key: key } }));
    for (let attempt = 0; requests.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
      if (attempt > 8)
        throw new Error(
          `BatchWriteItem left ${requests.length} deletes unprocessed on ${table} after ${attempt} attempts.`,
        );
      const result = await documentClient().send(
        new BatchWriteCommand({ RequestItems: { [table]: requests } }),
      );
      requests = (result.UnprocessedItems?.[table] ?? []) as typeof requests;
    }
  }
}

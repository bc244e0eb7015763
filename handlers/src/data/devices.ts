/**
 * Device records. Access patterns:
 * - get a device: GetItem pk `T#<tenantId>#DEVICES`, sk `DEVICE#<deviceId>`
 * - list a tenant's devices: Query pk `T#<tenantId>#DEVICES` (sk begins_with `DEVICE#`)
 * - one active device per IMEI in a tenant: lookup item pk `T#<tenantId>#DEVICES`, sk `IMEI#<imei>`,
 *   deleted when the device is revoked
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';
import type { Page, TransactItem } from './tenants.js';

export type DeviceStatus = 'active' | 'revoked';

export interface DeviceRecord {
  id: string;
  tenantId: string;
  imei: string;
  name: string;
  os: string;
  roleId: string;
  userName: string | null;
  status: DeviceStatus;
  createdAt: string;
  revokedAt: string | null;
  /** SHA-256 hex of the current device token, or null before the first token was created. */
  tokenHash: string | null;
  tokenCreatedAt: string | null;
  lastTokenExchangeAt: string | null;
}

export function devicesPartition(tenantId: string): string {
  return tenantPartition(tenantId, 'DEVICES');
}

export function deviceKey(tenantId: string, deviceId: string) {
  return { pk: devicesPartition(tenantId), sk: `DEVICE#${deviceId}` };
}

function imeiKey(tenantId: string, imei: string) {
  return { pk: devicesPartition(tenantId), sk: `IMEI#${imei}` };
}

function toRecord(item: Record<string, unknown>): DeviceRecord {
  return {
    id: item.id as string,
    tenantId: item.tenantId as string,
    imei: item.imei as string,
    name: item.name as string,
    os: item.os as string,
    roleId: item.roleId as string,
    userName: (item.userName as string | null | undefined) ?? null,
    status: item.status as DeviceStatus,
    createdAt: item.createdAt as string,
    revokedAt: (item.revokedAt as string | null | undefined) ?? null,
    tokenHash: (item.tokenHash as string | null | undefined) ?? null,
    tokenCreatedAt: (item.tokenCreatedAt as string | null | undefined) ?? null,
    lastTokenExchangeAt: (item.lastTokenExchangeAt as string | null | undefined) ?? null,
  };
}

export async function getDevice(tenantId: string, deviceId: string): Promise<DeviceRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: deviceKey(tenantId, deviceId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toRecord(Item);
}

/** Returns the puts that create a device and claim its IMEI; both fail if either exists. */
export function createDeviceItems(device: DeviceRecord): TransactItem[] {
  return [
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...deviceKey(device.tenantId, device.id), type: 'Device', ...device },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...imeiKey(device.tenantId, device.imei), type: 'DeviceImei', deviceId: device.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Returns the items that revoke an active device and release its IMEI; the first fails unless it is active. */
export function revokeDeviceItems(device: DeviceRecord, revokedAt: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: dataTableName(),
        Key: deviceKey(device.tenantId, device.id),
        UpdateExpression: 'SET #status = :revoked, revokedAt = :revokedAt',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':revoked': 'revoked', ':active': 'active', ':revokedAt': revokedAt },
      },
    },
    {
      Delete: {
        TableName: dataTableName(),
        Key: imeiKey(device.tenantId, device.imei),
        ConditionExpression: 'deviceId = :deviceId',
        ExpressionAttributeValues: { ':deviceId': device.id },
      },
    },
  ];
}

/** Returns the update that records a new token hash; it fails if the device is not active or changed. */
export function setDeviceTokenItem(device: DeviceRecord, tokenHash: string, createdAt: string): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: deviceKey(device.tenantId, device.id),
      UpdateExpression: 'SET tokenHash = :hash, tokenCreatedAt = :createdAt',
      ConditionExpression: '#status = :active AND tokenHash = :previous',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':hash': tokenHash,
        ':createdAt': createdAt,
        ':active': 'active',
        ':previous': device.tokenHash,
      },
    },
  };
}

/** Returns the update that records a token exchange time. */
export function touchDeviceItem(device: DeviceRecord, exchangedAt: string): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: deviceKey(device.tenantId, device.id),
      UpdateExpression: 'SET lastTokenExchangeAt = :at',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': exchangedAt, ':active': 'active' },
    },
  };
}

export async function listDevices(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<DeviceRecord>> {
  const partition = devicesPartition(tenantId);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':partition': partition, ':prefix': 'DEVICE#' },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'pk', { attribute: 'sk', prefix: 'DEVICE#' }),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

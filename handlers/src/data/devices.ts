/**
 * Device records. Access patterns:
 * - get a device: GetItem pk `T#<tenantId>#DEVICES`, sk `DEVICE#<deviceId>`
 * - list a tenant's devices by name: Query gsi1 gsi1pk `T#<tenantId>#DEVICES`, gsi1sk `<lower-case name>#<id>`
 * - one active device per IMEI in a tenant: lookup item pk `T#<tenantId>#DEVICES`, sk `IMEI#<imei>`,
 *   deleted when the device is revoked
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';
import type { Page, TransactItem } from './tenants.js';

export type DeviceStatus = 'active' | 'revoked';
export type DeviceOs = 'android' | 'ios';

export interface DeviceRecord {
  id: string;
  tenantId: string;
  imei: string;
  name: string;
  os: DeviceOs;
  roleId: string;
  userName: string | null;
  status: DeviceStatus;
  createdAt: string;
  revokedAt: string | null;
  revocationReason: string | null;
  /** SHA-256 hex of the current device token, or null before the first token was created. */
  tokenHash: string | null;
  tokenIssuedAt: string | null;
  /** The current device token must be exchanged before this time. */
  tokenExpiresAt: string | null;
  /** Last device-token exchange or token refresh. */
  lastSeenAt: string | null;
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

function deviceIndexKeys(device: DeviceRecord) {
  return { gsi1pk: devicesPartition(device.tenantId), gsi1sk: `${device.name.toLowerCase()}#${device.id}` };
}

function toRecord(item: Record<string, unknown>): DeviceRecord {
  const optional = (name: string) => (item[name] as string | null | undefined) ?? null;
  return {
    id: item.id as string,
    tenantId: item.tenantId as string,
    imei: item.imei as string,
    name: item.name as string,
    os: item.os as DeviceOs,
    roleId: item.roleId as string,
    userName: optional('userName'),
    status: item.status as DeviceStatus,
    createdAt: item.createdAt as string,
    revokedAt: optional('revokedAt'),
    revocationReason: optional('revocationReason'),
    tokenHash: optional('tokenHash'),
    tokenIssuedAt: optional('tokenIssuedAt'),
    tokenExpiresAt: optional('tokenExpiresAt'),
    lastSeenAt: optional('lastSeenAt'),
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
        Item: {
          ...deviceKey(device.tenantId, device.id),
          ...deviceIndexKeys(device),
          type: 'Device',
          ...device,
        },
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

/**
 * Returns the items that revoke an active device, drop its device token and release its IMEI; the first
 * fails unless the device is active.
 */
export function revokeDeviceItems(device: DeviceRecord, revokedAt: string, reason: string): TransactItem[] {
  return [
    {
      Update: {
        TableName: dataTableName(),
        Key: deviceKey(device.tenantId, device.id),
        UpdateExpression:
          'SET #status = :revoked, revokedAt = :revokedAt, revocationReason = :reason, tokenHash = :null, tokenExpiresAt = :null',
        ConditionExpression: '#status = :active',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':revoked': 'revoked',
          ':active': 'active',
          ':revokedAt': revokedAt,
          ':reason': reason,
          ':null': null,
        },
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
export function setDeviceTokenItem(
  device: DeviceRecord,
  tokenHash: string,
  issuedAt: string,
  expiresAt: string,
): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: deviceKey(device.tenantId, device.id),
      UpdateExpression: 'SET tokenHash = :hash, tokenIssuedAt = :issuedAt, tokenExpiresAt = :expiresAt',
      ConditionExpression: '#status = :active AND tokenHash = :previous',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':hash': tokenHash,
        ':issuedAt': issuedAt,
        ':expiresAt': expiresAt,
        ':active': 'active',
        ':previous': device.tokenHash,
      },
    },
  };
}

/** Returns the update that records when the device was last seen (token exchange or refresh). */
export function touchDeviceItem(tenantId: string, deviceId: string, seenAt: string): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: deviceKey(tenantId, deviceId),
      UpdateExpression: 'SET lastSeenAt = :at',
      ConditionExpression: '#status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':at': seenAt, ':active': 'active' },
    },
  };
}

/** Lists a tenant's devices ordered by name (case-insensitive), optionally only those with one status. */
export async function listDevices(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
  status?: DeviceStatus,
): Promise<Page<DeviceRecord>> {
  const partition = devicesPartition(tenantId);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition',
      ...(status === undefined
        ? {}
        : { FilterExpression: '#status = :status', ExpressionAttributeNames: { '#status': 'status' } }),
      ExpressionAttributeValues: {
        ':partition': partition,
        ...(status === undefined ? {} : { ':status': status }),
      },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'gsi1pk'),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

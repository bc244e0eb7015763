/**
 * Refresh-token families and device-token lookups. Tokens are random and stored only as SHA-256 hashes.
 * Access patterns:
 * - present a refresh token: GetItem pk `RT#<sha256>`, sk `RT` → tenant, principal, family, state
 * - a refresh-token family: GetItem pk `T#<tenantId>#PRINCIPAL#<kind>#<id>`, sk `REFRESH#<familyId>`
 * - all families of a principal (logout): Query that pk with sk begins_with `REFRESH#`
 * - present a device token: GetItem pk `DT#<sha256>`, sk `DT` → tenant and device
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { PrincipalKind } from '../context.js';
import {
  dataTableName,
  documentClient,
  epochSeconds,
  isConditionalCheckFailed,
  tenantPartition,
} from './table.js';
import type { TransactItem } from './tenants.js';

/** A refresh token is valid for 14 days after it was issued; every refresh issues a new one. */
export const refreshTokenLifetimeMs = 14 * 24 * 60 * 60 * 1000;

/** Used refresh-token hashes are kept this long after their expiry, so a late replay is still detected. */
const usedTokenRetentionMs = 24 * 60 * 60 * 1000;

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Returns a new opaque token: the prefix and 32 random bytes in base64url (43 characters). */
export function newOpaqueToken(prefix: 'krt_' | 'kdt_'): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export interface RefreshTokenOwner {
  tenantId: string;
  kind: PrincipalKind;
  /** User id or device id. */
  principalId: string;
}

export interface RefreshTokenLookup extends RefreshTokenOwner {
  familyId: string;
  state: 'current' | 'used';
  tokenExpiresAt: string;
}

export interface RefreshFamily {
  familyId: string;
  currentHash: string;
  revokedAt: string | null;
}

function principalPartition(owner: RefreshTokenOwner): string {
  return tenantPartition(owner.tenantId, 'PRINCIPAL', owner.kind, owner.principalId);
}

function familyKey(owner: RefreshTokenOwner, familyId: string) {
  return { pk: principalPartition(owner), sk: `REFRESH#${familyId}` };
}

function refreshLookupKey(hash: string) {
  return { pk: `RT#${hash}`, sk: 'RT' };
}

function deviceTokenKey(hash: string) {
  return { pk: `DT#${hash}`, sk: 'DT' };
}

export interface IssuedRefreshToken {
  token: string;
  expiresAt: Date;
  /** The session: access tokens carry it as `sid`, and logout revokes it. */
  familyId: string;
}

function refreshLookupPut(
  owner: RefreshTokenOwner,
  familyId: string,
  hash: string,
  expiresAt: Date,
): TransactItem {
  return {
    Put: {
      TableName: dataTableName(),
      Item: {
        ...refreshLookupKey(hash),
        type: 'RefreshToken',
        ...owner,
        familyId,
        state: 'current',
        tokenExpiresAt: expiresAt.toISOString(),
        expiresAt: epochSeconds(expiresAt) + usedTokenRetentionMs / 1000,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Starts a new refresh-token family (one per login) and returns its first token. */
export async function startRefreshFamily(owner: RefreshTokenOwner, now: Date): Promise<IssuedRefreshToken> {
  const token = newOpaqueToken('krt_');
  const hash = sha256Hex(token);
  const familyId = randomUUID();
  const expiresAt = new Date(now.getTime() + refreshTokenLifetimeMs);
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: dataTableName(),
            Item: {
              ...familyKey(owner, familyId),
              type: 'RefreshFamily',
              ...owner,
              familyId,
              currentHash: hash,
              createdAt: now.toISOString(),
              revokedAt: null,
              expiresAt: epochSeconds(expiresAt) + usedTokenRetentionMs / 1000,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        refreshLookupPut(owner, familyId, hash, expiresAt),
      ],
    }),
  );
  return { token, expiresAt, familyId };
}

export async function findRefreshToken(token: string): Promise<RefreshTokenLookup | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: dataTableName(),
      Key: refreshLookupKey(sha256Hex(token)),
      ConsistentRead: true,
    }),
  );
  if (Item === undefined) {
    return undefined;
  }
  return {
    tenantId: Item.tenantId as string,
    kind: Item.kind as PrincipalKind,
    principalId: Item.principalId as string,
    familyId: Item.familyId as string,
    state: Item.state as 'current' | 'used',
    tokenExpiresAt: Item.tokenExpiresAt as string,
  };
}

export async function getRefreshFamily(
  owner: RefreshTokenOwner,
  familyId: string,
): Promise<RefreshFamily | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: familyKey(owner, familyId), ConsistentRead: true }),
  );
  if (Item === undefined) {
    return undefined;
  }
  return {
    familyId,
    currentHash: Item.currentHash as string,
    revokedAt: (Item.revokedAt as string | null | undefined) ?? null,
  };
}

/**
 * Replaces the presented token with a new one in one transaction: the old lookup becomes `used`, the new one
 * `current`, and the family points at the new hash. Throws TransactionCanceledException when another request
 * rotated or revoked the family first.
 */
export async function rotateRefreshToken(
  presented: string,
  lookup: RefreshTokenLookup,
  now: Date,
): Promise<IssuedRefreshToken> {
  const oldHash = sha256Hex(presented);
  const token = newOpaqueToken('krt_');
  const hash = sha256Hex(token);
  const expiresAt = new Date(now.getTime() + refreshTokenLifetimeMs);
  const owner: RefreshTokenOwner = {
    tenantId: lookup.tenantId,
    kind: lookup.kind,
    principalId: lookup.principalId,
  };
  await documentClient().send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Update: {
            TableName: dataTableName(),
            Key: refreshLookupKey(oldHash),
            UpdateExpression: 'SET #state = :used, usedAt = :now',
            ConditionExpression: '#state = :current',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':used': 'used', ':current': 'current', ':now': now.toISOString() },
          },
        },
        refreshLookupPut(owner, lookup.familyId, hash, expiresAt),
        {
          Update: {
            TableName: dataTableName(),
            Key: familyKey(owner, lookup.familyId),
            UpdateExpression: 'SET currentHash = :hash, expiresAt = :expiresAt',
            ConditionExpression: 'currentHash = :oldHash AND revokedAt = :null',
            ExpressionAttributeValues: {
              ':hash': hash,
              ':oldHash': oldHash,
              ':null': null,
              ':expiresAt': epochSeconds(expiresAt) + usedTokenRetentionMs / 1000,
            },
          },
        },
      ],
    }),
  );
  return { token, expiresAt, familyId: lookup.familyId };
}

/** Marks a family revoked, so its tokens no longer refresh. Revoking twice keeps the first time. */
export async function revokeRefreshFamily(
  owner: RefreshTokenOwner,
  familyId: string,
  now: Date,
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: dataTableName(),
        Key: familyKey(owner, familyId),
        UpdateExpression: 'SET revokedAt = :now',
        ConditionExpression: 'attribute_exists(pk) AND revokedAt = :null',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':null': null },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) {
      throw error;
    }
  }
}

/** Revokes every refresh-token family of a principal (logout everywhere, user deletion, device revocation). */
export async function revokeAllRefreshFamilies(owner: RefreshTokenOwner, now: Date): Promise<number> {
  let revoked = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: dataTableName(),
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        FilterExpression: 'revokedAt = :null',
        ExpressionAttributeValues: { ':pk': principalPartition(owner), ':prefix': 'REFRESH#', ':null': null },
        ExclusiveStartKey: startKey,
      }),
    );
    for (const item of page.Items ?? []) {
      await revokeRefreshFamily(owner, item.familyId as string, now);
      revoked++;
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return revoked;
}

export interface DeviceTokenLookup {
  tenantId: string;
  deviceId: string;
}

export async function findDeviceToken(token: string): Promise<DeviceTokenLookup | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: dataTableName(),
      Key: deviceTokenKey(sha256Hex(token)),
      ConsistentRead: true,
    }),
  );
  if (Item === undefined) {
    return undefined;
  }
  return { tenantId: Item.tenantId as string, deviceId: Item.deviceId as string };
}

/** Returns the put of a device-token lookup for a new token hash. */
export function deviceTokenPut(hash: string, lookup: DeviceTokenLookup, createdAt: string): TransactItem {
  return {
    Put: {
      TableName: dataTableName(),
      Item: { ...deviceTokenKey(hash), type: 'DeviceToken', ...lookup, createdAt },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Returns the delete of a device-token lookup (a replaced or revoked token). */
export function deviceTokenDelete(hash: string): TransactItem {
  return { Delete: { TableName: dataTableName(), Key: deviceTokenKey(hash) } };
}

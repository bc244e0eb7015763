/**
 * User records. Access patterns:
 * - get a user: GetItem pk `T#<tenantId>#USERS`, sk `USER#<userId>`
 * - list a tenant's users: Query pk `T#<tenantId>#USERS` (sk begins_with `USER#`)
 * - log in by e-mail: GetItem pk `EMAIL#<lower-case address>`, sk `EMAIL` → tenant and user id, then the user
 */
import {
  DeleteCommand,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';
import type { Page, TransactItem } from './tenants.js';

export type StoredUserStatus = 'pending' | 'active';

export interface UserRecord {
  id: string;
  tenantId: string;
  email: string;
  displayName: string;
  /** Argon2id PHC string; never leaves the data layer except for verification. */
  passwordHash: string;
  status: StoredUserStatus;
  roles: string[];
  createdAt: string;
  activatedAt: string | null;
  lastLoginAt: string | null;
  /** Failed logins in the current lockout window and when that window started (epoch ms). */
  failedLoginCount: number;
  failedLoginWindowStart: number;
  /** Epoch ms until which logins are rejected with ACCOUNT_LOCKED; 0 when not locked. */
  lockedUntil: number;
  /** Login attempts in the current throttle window and when that window started (epoch ms). */
  loginAttemptCount: number;
  loginAttemptWindowStart: number;
}

export function usersPartition(tenantId: string): string {
  return tenantPartition(tenantId, 'USERS');
}

export function userKey(tenantId: string, userId: string) {
  return { pk: usersPartition(tenantId), sk: `USER#${userId}` };
}

export function emailKey(email: string) {
  return { pk: `EMAIL#${email.toLowerCase()}`, sk: 'EMAIL' };
}

function toRecord(item: Record<string, unknown>): UserRecord {
  return {
    id: item.id as string,
    tenantId: item.tenantId as string,
    email: item.email as string,
    displayName: item.displayName as string,
    passwordHash: item.passwordHash as string,
    status: item.status as StoredUserStatus,
    roles: (item.roles as string[] | undefined) ?? [],
    createdAt: item.createdAt as string,
    activatedAt: (item.activatedAt as string | null | undefined) ?? null,
    lastLoginAt: (item.lastLoginAt as string | null | undefined) ?? null,
    failedLoginCount: (item.failedLoginCount as number | undefined) ?? 0,
    failedLoginWindowStart: (item.failedLoginWindowStart as number | undefined) ?? 0,
    lockedUntil: (item.lockedUntil as number | undefined) ?? 0,
    loginAttemptCount: (item.loginAttemptCount as number | undefined) ?? 0,
    loginAttemptWindowStart: (item.loginAttemptWindowStart as number | undefined) ?? 0,
  };
}

export async function getUser(tenantId: string, userId: string): Promise<UserRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: userKey(tenantId, userId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toRecord(Item);
}

/** Resolves an e-mail address (case-insensitive) to the user who registered it. */
export async function findUserByEmail(email: string): Promise<UserRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: emailKey(email), ConsistentRead: true }),
  );
  if (Item === undefined) {
    return undefined;
  }
  return getUser(Item.tenantId as string, Item.userId as string);
}

/** Returns the puts that create a user and claim its e-mail address; both fail if either exists. */
export function createUserItems(user: UserRecord): TransactItem[] {
  return [
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...userKey(user.tenantId, user.id), type: 'User', ...user },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...emailKey(user.email), type: 'Email', tenantId: user.tenantId, userId: user.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Returns the update that activates a pending user; it fails if the user is missing or not pending. */
export function activateUserItem(tenantId: string, userId: string, activatedAt: string): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: userKey(tenantId, userId),
      UpdateExpression: 'SET #status = :active, activatedAt = :activatedAt',
      ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':active': 'active', ':pending': 'pending', ':activatedAt': activatedAt },
    },
  };
}

/** Deletes a user and releases its e-mail address. */
export function deleteUserItems(user: UserRecord): TransactItem[] {
  return [
    {
      Delete: {
        TableName: dataTableName(),
        Key: userKey(user.tenantId, user.id),
        ConditionExpression: 'attribute_exists(pk)',
      },
    },
    {
      Delete: {
        TableName: dataTableName(),
        Key: emailKey(user.email),
        ConditionExpression: 'userId = :userId',
        ExpressionAttributeValues: { ':userId': user.id },
      },
    },
  ];
}

/** Returns the update that adds or removes one role of a user; it fails if the user does not exist. */
export function setUserRolesItem(
  tenantId: string,
  userId: string,
  roles: string[],
  previous: string[],
): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: userKey(tenantId, userId),
      UpdateExpression: 'SET #roles = :roles',
      ConditionExpression: 'attribute_exists(pk) AND #roles = :previous',
      ExpressionAttributeNames: { '#roles': 'roles' },
      ExpressionAttributeValues: { ':roles': roles, ':previous': previous },
    },
  };
}

export async function transact(items: TransactItem[]): Promise<void> {
  await documentClient().send(new TransactWriteCommand({ TransactItems: items }));
}

export async function listUsers(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<UserRecord>> {
  const partition = usersPartition(tenantId);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':partition': partition, ':prefix': 'USER#' },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'pk', { attribute: 'sk', prefix: 'USER#' }),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** Stores the login counters after an attempt; the condition keeps two concurrent attempts from losing counts. */
export async function saveLoginCounters(
  before: UserRecord,
  counters: Pick<
    UserRecord,
    | 'failedLoginCount'
    | 'failedLoginWindowStart'
    | 'lockedUntil'
    | 'loginAttemptCount'
    | 'loginAttemptWindowStart'
  > & { lastLoginAt?: string },
): Promise<void> {
  const { lastLoginAt, ...numbers } = counters;
  await documentClient().send(
    new UpdateCommand({
      TableName: dataTableName(),
      Key: userKey(before.tenantId, before.id),
      UpdateExpression: [
        'SET failedLoginCount = :failed, failedLoginWindowStart = :failedStart, lockedUntil = :lockedUntil',
        'loginAttemptCount = :attempts, loginAttemptWindowStart = :attemptStart',
        ...(lastLoginAt === undefined ? [] : ['lastLoginAt = :lastLoginAt']),
      ].join(', '),
      ConditionExpression:
        'attribute_exists(pk) AND (attribute_not_exists(loginAttemptCount) OR loginAttemptCount = :previousAttempts)',
      ExpressionAttributeValues: {
        ':failed': numbers.failedLoginCount,
        ':failedStart': numbers.failedLoginWindowStart,
        ':lockedUntil': numbers.lockedUntil,
        ':attempts': numbers.loginAttemptCount,
        ':attemptStart': numbers.loginAttemptWindowStart,
        ':previousAttempts': before.loginAttemptCount,
        ...(lastLoginAt === undefined ? {} : { ':lastLoginAt': lastLoginAt }),
      },
    }),
  );
}

/** Deletes the e-mail claim of a user that no longer exists (clean-up after a failed registration). */
export async function releaseEmail(email: string, userId: string): Promise<void> {
  await documentClient().send(
    new DeleteCommand({
      TableName: dataTableName(),
      Key: emailKey(email),
      ConditionExpression: 'userId = :userId',
      ExpressionAttributeValues: { ':userId': userId },
    }),
  );
}

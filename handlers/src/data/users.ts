/**
 * User records. Access patterns:
 * - get a user: GetItem pk `T#<tenantId>#USERS`, sk `USER#<userId>`
 * - list a tenant's users by e-mail: Query gsi1 gsi1pk `T#<tenantId>#USERS`, gsi1sk `<lower-case e-mail>#<id>`
 * - count a tenant's admins: Query pk `T#<tenantId>#USERS` (sk begins_with `USER#`) with a filter
 * - log in by e-mail: GetItem pk `EMAIL#<lower-case address>`, sk `EMAIL` → tenant and user id, then the user
 */
import {
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
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

/** Index keys that order a tenant's users by e-mail address for listUsers. */
function userIndexKeys(user: UserRecord) {
  return { gsi1pk: usersPartition(user.tenantId), gsi1sk: `${user.email.toLowerCase()}#${user.id}` };
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
        Item: { ...userKey(user.tenantId, user.id), ...userIndexKeys(user), type: 'User', ...user },
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

/** Returns the update that ends a lockout of an active user; it fails if the user is missing or not active. */
export function unlockUserItem(tenantId: string, userId: string): TransactItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: userKey(tenantId, userId),
      UpdateExpression: 'SET lockedUntil = :zero, failedLoginCount = :zero, failedLoginWindowStart = :zero',
      ConditionExpression: 'attribute_exists(pk) AND #status = :active',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':zero': 0, ':active': 'active' },
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

export type UserStatusFilter = 'pending' | 'active' | 'locked';

/**
 * Lists a tenant's users ordered by e-mail address. `locked` means active with a lockout that lasts past `now`;
 * `active` excludes those.
 */
export async function listUsers(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
  status: UserStatusFilter | undefined,
  now: Date,
): Promise<Page<UserRecord>> {
  const partition = usersPartition(tenantId);
  const filters: Record<UserStatusFilter, string> = {
    pending: '#status = :pending',
    active: '#status = :active AND lockedUntil <= :now',
    locked: '#status = :active AND lockedUntil > :now',
  };
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition',
      ...(status === undefined
        ? { ExpressionAttributeValues: { ':partition': partition } }
        : {
            FilterExpression: filters[status],
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':partition': partition,
              ...(status === 'pending'
                ? { ':pending': 'pending' }
                : { ':active': 'active', ':now': now.getTime() }),
            },
          }),
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'gsi1pk'),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

/** Counts the active users of a tenant that hold a role (reads the tenant's user partition). */
export async function countActiveUsersWithRole(tenantId: string, roleId: string): Promise<number> {
  let count = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    const page: QueryCommandOutput = await documentClient().send(
      new QueryCommand({
        TableName: dataTableName(),
        KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
        FilterExpression: 'contains(#roles, :roleId) AND #status = :active',
        ExpressionAttributeNames: { '#roles': 'roles', '#status': 'status' },
        ExpressionAttributeValues: {
          ':partition': usersPartition(tenantId),
          ':prefix': 'USER#',
          ':roleId': roleId,
          ':active': 'active',
        },
        Select: 'COUNT',
        ExclusiveStartKey: startKey,
      }),
    );
    count += page.Count ?? 0;
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return count;
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

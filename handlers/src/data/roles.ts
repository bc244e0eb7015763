/**
 * Role records. Access patterns:
 * - get a role: GetItem pk `T#<tenantId>#ROLES`, sk `ROLE#<roleId>`
 * - get the roles of a principal: BatchGetItem of those keys
 * - list a tenant's roles, built-in first, then by name: Query gsi1 gsi1pk `T#<tenantId>#ROLES`,
 *   gsi1sk `<0 built-in | 1 custom>#<lower-case name>#<id>`
 * - unique role names: lookup item pk `T#<tenantId>#ROLES`, sk `NAME#<lower-case name>`
 */
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Right } from '../../../generated/operations/index.js';
import { readItems } from './clinical-items.js';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';
import type { Page, TransactItem } from './tenants.js';

export interface RoleRecord {
  id: string;
  name: string;
  description: string | null;
  rights: Right[];
  builtIn: boolean;
  createdAt: string;
}

export function rolesPartition(tenantId: string): string {
  return tenantPartition(tenantId, 'ROLES');
}

export function roleKey(tenantId: string, roleId: string) {
  return { pk: rolesPartition(tenantId), sk: `ROLE#${roleId}` };
}

function roleNameKey(tenantId: string, name: string) {
  return { pk: rolesPartition(tenantId), sk: `NAME#${name.toLowerCase()}` };
}

function toRecord(item: Record<string, unknown>): RoleRecord {
  return {
    id: item.id as string,
    name: item.name as string,
    description: (item.description as string | null | undefined) ?? null,
    rights: (item.rights as Right[] | undefined) ?? [],
    builtIn: item.builtIn === true,
    createdAt: item.createdAt as string,
  };
}

/** Returns the puts that create a role and claim its name in the tenant; both fail if either exists. */
export function createRoleItems(tenantId: string, role: RoleRecord): TransactItem[] {
  return [
    {
      Put: {
        TableName: dataTableName(),
        Item: {
          ...roleKey(tenantId, role.id),
          gsi1pk: rolesPartition(tenantId),
          gsi1sk: `${role.builtIn ? 0 : 1}#${role.name.toLowerCase()}#${role.id}`,
          type: 'Role',
          tenantId,
          ...role,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...roleNameKey(tenantId, role.name), type: 'RoleName', tenantId, roleId: role.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

export async function getRole(tenantId: string, roleId: string): Promise<RoleRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: roleKey(tenantId, roleId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toRecord(Item);
}

/** Returns the roles that exist among `roleIds` (at most 100 ids); unknown ids are left out. */
export async function getRoles(tenantId: string, roleIds: readonly string[]): Promise<RoleRecord[]> {
  const unique = [...new Set(roleIds)];
  if (unique.length === 0) {
    return [];
  }
  if (unique.length > 100) {
    throw new Error(`getRoles reads at most 100 roles at once, got ${unique.length}.`);
  }
  const items = await readItems(unique.map((roleId) => roleKey(tenantId, roleId)));
  return [...items.values()].map(toRecord);
}

/** Returns the union of the rights of the roles, sorted. */
export async function rightsOfRoles(tenantId: string, roleIds: readonly string[]): Promise<Set<Right>> {
  const roles = await getRoles(tenantId, roleIds);
  return new Set(roles.flatMap((role) => role.rights));
}

export async function listRoles(
  tenantId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<RoleRecord>> {
  const partition = rolesPartition(tenantId);
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition',
      ExpressionAttributeValues: { ':partition': partition },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'gsi1pk'),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

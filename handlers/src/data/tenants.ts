/**
 * Tenant records. Access patterns:
 * - get a tenant: GetItem pk `T#<tenantId>#TENANT`, sk `TENANT`
 * - list tenants by status, ordered by name: Query gsi1 gsi1pk `TENANTS#<status>` (the operator tenant is
 *   under `TENANTS#operator` instead)
 * - all tenants, newest first (management console): Query gsi2 gsi2pk `TENANTS`, gsi2sk `<createdAt>#<id>`
 * - unique tenant names: lookup item pk `TENANTNAME#<lower-case name>`, sk `TENANTNAME`
 */
import {
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';

export type TenantKind = 'hospital' | 'aid-organisation' | 'emergency-service-area' | 'operator';
export type TenantStatus = 'pending' | 'active';

export interface RetentionSettings {
  patientDataDays: number;
  drillDataDays: number;
  auditLogDays: number;
}

export interface TenantSettings {
  retention: RetentionSettings;
}

export interface TenantRecord {
  id: string;
  name: string;
  kind: TenantKind;
  status: TenantStatus;
  settings: TenantSettings;
  createdAt: string;
  activatedAt: string | null;
  /** The admin who registered the tenant; activated together with it. */
  firstAdminUserId: string | null;
}

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** Retention a new tenant starts with: ten years for patient data and audit events, 30 days for drills. */
export const defaultRetention: RetentionSettings = {
  patientDataDays: 3650,
  drillDataDays: 30,
  auditLogDays: 3650,
};

export function tenantKey(tenantId: string) {
  return { pk: tenantPartition(tenantId, 'TENANT'), sk: 'TENANT' };
}

function tenantNameKey(name: string) {
  return { pk: `TENANTNAME#${name.toLowerCase()}`, sk: 'TENANTNAME' };
}

/**
 * Returns the index keys of a tenant. The operator tenant has its own gsi1 partition, so it never appears in
 * the public tenant list.
 */
function tenantIndexKeys(tenant: TenantRecord) {
  const partition = tenant.kind === 'operator' ? 'TENANTS#operator' : `TENANTS#${tenant.status}`;
  return {
    gsi1pk: partition,
    gsi1sk: `${tenant.name.toLowerCase()}#${tenant.id}`,
    gsi2pk: 'TENANTS',
    gsi2sk: `${tenant.createdAt}#${tenant.id}`,
  };
}

function toRecord(item: Record<string, unknown>): TenantRecord {
  return {
    id: item.id as string,
    name: item.name as string,
    kind: item.kind as TenantKind,
    status: item.status as TenantStatus,
    settings: item.settings as TenantSettings,
    createdAt: item.createdAt as string,
    activatedAt: (item.activatedAt as string | null | undefined) ?? null,
    firstAdminUserId: (item.firstAdminUserId as string | null | undefined) ?? null,
  };
}

export async function getTenant(tenantId: string): Promise<TenantRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: tenantKey(tenantId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toRecord(Item);
}

/** Returns the puts that create a tenant and claim its name; both fail if the id or the name exists. */
export function createTenantItems(tenant: TenantRecord): TransactItem[] {
  return [
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...tenantKey(tenant.id), ...tenantIndexKeys(tenant), type: 'Tenant', ...tenant },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...tenantNameKey(tenant.name), type: 'TenantName', tenantId: tenant.id },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/** Returns the update that activates a pending tenant; it fails if the tenant is not pending. */
export function activateTenantItem(tenant: TenantRecord, activatedAt: string): TransactItem {
  const active: TenantRecord = { ...tenant, status: 'active', activatedAt };
  const index = tenantIndexKeys(active);
  return {
    Update: {
      TableName: dataTableName(),
      Key: tenantKey(tenant.id),
      UpdateExpression:
        'SET #status = :active, activatedAt = :activatedAt, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':active': 'active',
        ':pending': 'pending',
        ':activatedAt': activatedAt,
        ':gsi1pk': index.gsi1pk,
        ':gsi1sk': index.gsi1sk,
      },
    },
  };
}

/**
 * Writes a changed name and settings. A new name moves the name claim in the same transaction, so two tenants
 * can never hold the same name. Throws TransactionCanceledException when the name is taken (second item) or
 * the tenant changed concurrently (first item).
 */
export async function saveTenantChanges(
  before: TenantRecord,
  after: TenantRecord,
  extraItems: TransactItem[] = [],
): Promise<void> {
  const items: TransactItem[] = [
    {
      Put: {
        TableName: dataTableName(),
        Item: { ...tenantKey(after.id), ...tenantIndexKeys(after), type: 'Tenant', ...after },
        ConditionExpression: '#name = :previousName AND #status = :status',
        ExpressionAttributeNames: { '#name': 'name', '#status': 'status' },
        ExpressionAttributeValues: { ':previousName': before.name, ':status': before.status },
      },
    },
  ];
  if (before.name.toLowerCase() !== after.name.toLowerCase()) {
    items.push(
      {
        Put: {
          TableName: dataTableName(),
          Item: { ...tenantNameKey(after.name), type: 'TenantName', tenantId: after.id },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Delete: { TableName: dataTableName(), Key: tenantNameKey(before.name) } },
    );
  }
  await documentClient().send(new TransactWriteCommand({ TransactItems: [...items, ...extraItems] }));
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Lists tenants of one status ordered by name (case-insensitive). */
export async function listTenantsByStatus(
  status: TenantStatus,
  limit: number,
  cursor: string | undefined,
): Promise<Page<TenantRecord>> {
  const partition = `TENANTS#${status}`;
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

/** Lists every tenant newest first, optionally only those with one status. */
export async function listAllTenants(
  limit: number,
  cursor: string | undefined,
  status: TenantStatus | undefined,
): Promise<Page<TenantRecord>> {
  const partition = 'TENANTS';
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :partition',
      ...(status === undefined
        ? { ExpressionAttributeValues: { ':partition': partition } }
        : {
            FilterExpression: '#status = :status',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':partition': partition, ':status': status },
          }),
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor, partition, 'gsi2pk'),
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

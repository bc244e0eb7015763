/**
 * Audit event storage. Access patterns:
 * - a tenant's events in a time range: Query pk `T#<tenantId>#AUDIT`, sk between `<since>` and `<until>`
 * - events about one record: Query gsi1 gsi1pk `T#<tenantId>#AUDIT#ENTITY#<type>#<id>`, gsi1sk range
 * - events by one actor: Query gsi2 gsi2pk `T#<tenantId>#AUDIT#ACTOR#<actorId>`, gsi2sk range
 * Sort keys are `<RFC 3339 UTC time>#<event id>`, so ranges are time ranges.
 *
 * NOTE: all events of a tenant share one partition, which DynamoDB serves with up to 1,000 writes per second.
 * A tenant that audits more reads than that needs the partition split by day.
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { RequestValidationError } from '../errors.js';
import { dataTableName, decodeCursor, documentClient, encodeCursor, tenantPartition } from './table.js';
import type { Page, TransactItem } from './tenants.js';

export type AuditAction =
  | 'read'
  | 'list'
  | 'create'
  | 'update'
  | 'delete'
  | 'export'
  | 'login'
  | 'login-failed'
  | 'logout'
  | 'confirm'
  | 'correct'
  | 'activate'
  | 'revoke'
  | 'assign-role'
  | 'remove-role'
  | 'issue-token'
  | 'purge';

export type AuditEntityType =
  | 'tenant'
  | 'user'
  | 'role'
  | 'device'
  | 'disaster'
  | 'patient'
  | 'triage'
  | 'photo'
  | 'session';

/** Action-specific facts; never identity data or clinical values. */
export interface AuditDetails {
  changedFields?: string[];
  reason?: string;
  roleId?: string;
  resultCount?: number;
}

export interface AuditEventRecord {
  id: string;
  tenantId: string;
  occurredAt: string;
  actorKind: 'user' | 'device' | 'system';
  /** Null only for `system`. */
  actorId: string | null;
  actorDisplayName: string | null;
  action: AuditAction;
  entityType: AuditEntityType;
  entityId: string;
  disasterId: string | null;
  requestId: string;
  sourceIp: string | null;
  details: AuditDetails;
}

export function auditPartition(tenantId: string): string {
  return tenantPartition(tenantId, 'AUDIT');
}

export function auditEntityPartition(tenantId: string, entityType: string, entityId: string): string {
  return tenantPartition(tenantId, 'AUDIT', 'ENTITY', entityType, entityId);
}

export function auditActorPartition(tenantId: string, actorId: string): string {
  return tenantPartition(tenantId, 'AUDIT', 'ACTOR', actorId);
}

/**
 * Drops empty `details`: the DynamoDB Streams client (@aws-sdk/client-dynamodb-streams 3.1141) reads an empty
 * map in a stream record as `{}` without a type, which the stream consumer cannot unmarshall.
 */
function withoutEmptyDetails(
  event: AuditEventRecord,
): Omit<AuditEventRecord, 'details'> & { details?: AuditDetails } {
  if (Object.keys(event.details).length > 0) {
    return event;
  }
  const { details: _empty, ...rest } = event;
  return rest;
}

/** Returns the item of an event, with its index keys and the TTL attribute (epoch seconds). */
export function auditItem(event: AuditEventRecord, expiresAtEpochSeconds: number): Record<string, unknown> {
  const sortKey = `${event.occurredAt}#${event.id}`;
  return {
    pk: auditPartition(event.tenantId),
    sk: sortKey,
    gsi1pk: auditEntityPartition(event.tenantId, event.entityType, event.entityId),
    gsi1sk: sortKey,
    ...(event.actorId === null
      ? {}
      : { gsi2pk: auditActorPartition(event.tenantId, event.actorId), gsi2sk: sortKey }),
    type: 'AuditEvent',
    ...withoutEmptyDetails(event),
    expiresAt: expiresAtEpochSeconds,
  };
}

export function auditPutItem(event: AuditEventRecord, expiresAtEpochSeconds: number): TransactItem {
  return {
    Put: {
      TableName: dataTableName(),
      Item: auditItem(event, expiresAtEpochSeconds),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export async function putAuditEvent(event: AuditEventRecord, expiresAtEpochSeconds: number): Promise<void> {
  await documentClient().send(
    new PutCommand({
      TableName: dataTableName(),
      Item: auditItem(event, expiresAtEpochSeconds),
      ConditionExpression: 'attribute_not_exists(pk)',
    }),
  );
}

function toRecord(item: Record<string, unknown>): AuditEventRecord {
  return {
    id: item.id as string,
    tenantId: item.tenantId as string,
    occurredAt: item.occurredAt as string,
    actorKind: item.actorKind as AuditEventRecord['actorKind'],
    actorId: (item.actorId as string | null | undefined) ?? null,
    actorDisplayName: (item.actorDisplayName as string | null | undefined) ?? null,
    action: item.action as AuditAction,
    entityType: item.entityType as AuditEntityType,
    entityId: item.entityId as string,
    disasterId: (item.disasterId as string | null | undefined) ?? null,
    requestId: item.requestId as string,
    sourceIp: (item.sourceIp as string | null | undefined) ?? null,
    details: (item.details as AuditDetails | undefined) ?? {},
  };
}

export interface AuditQuery {
  tenantId: string;
  /** Inclusive lower bound, RFC 3339 UTC as Date.toISOString writes it. */
  since?: string;
  /** Exclusive upper bound, RFC 3339 UTC as Date.toISOString writes it. */
  until?: string;
  actorId?: string;
  entityType?: string;
  entityId?: string;
  limit: number;
  cursor?: string;
}

/**
 * Lists events newest first. An entity filter queries gsi1, else an actor filter queries gsi2, else the query
 * reads the tenant partition. A filter that the chosen key does not cover becomes a FilterExpression.
 */
export async function queryAuditEvents(query: AuditQuery): Promise<Page<AuditEventRecord>> {
  let indexName: string | undefined;
  let partitionAttribute = 'pk';
  let sortAttribute = 'sk';
  let partition = auditPartition(query.tenantId);
  if (query.entityType !== undefined && query.entityId !== undefined) {
    indexName = 'gsi1';
    partitionAttribute = 'gsi1pk';
    sortAttribute = 'gsi1sk';
    partition = auditEntityPartition(query.tenantId, query.entityType, query.entityId);
  } else if (query.actorId !== undefined) {
    indexName = 'gsi2';
    partitionAttribute = 'gsi2pk';
    sortAttribute = 'gsi2sk';
    partition = auditActorPartition(query.tenantId, query.actorId);
  }

  // DynamoDB rejects an attribute name the expressions do not use, so #sk is declared only with a time range.
  const names: Record<string, string> = { '#pk': partitionAttribute };
  if (query.since !== undefined || query.until !== undefined) {
    names['#sk'] = sortAttribute;
  }
  const values: Record<string, unknown> = { ':partition': partition };
  // Sort keys are `<time>#<id>`, so `<since>#...` sorts after `<since>` and is included, and `<until>#...`
  // sorts after `<until>` and is excluded.
  let keyCondition = '#pk = :partition';
  if (query.since !== undefined && query.until !== undefined) {
    keyCondition += ' AND #sk BETWEEN :since AND :until';
    values[':since'] = query.since;
    values[':until'] = query.until;
  } else if (query.since !== undefined) {
    keyCondition += ' AND #sk >= :since';
    values[':since'] = query.since;
  } else if (query.until !== undefined) {
    keyCondition += ' AND #sk < :until';
    values[':until'] = query.until;
  }

  const filters: string[] = [];
  if (query.actorId !== undefined && partitionAttribute !== 'gsi2pk') {
    filters.push('actorId = :actorId');
    values[':actorId'] = query.actorId;
  }
  if (query.entityType !== undefined && partitionAttribute !== 'gsi1pk') {
    filters.push('entityType = :entityType');
    values[':entityType'] = query.entityType;
  }
  if (query.entityId !== undefined && partitionAttribute !== 'gsi1pk') {
    filters.push('entityId = :entityId');
    values[':entityId'] = query.entityId;
  }

  const startKey = decodeCursor(query.cursor, partition, partitionAttribute);
  const startSortKey = startKey?.[sortAttribute];
  if (
    startKey !== undefined &&
    (startSortKey === undefined ||
      (query.since !== undefined && startSortKey < query.since) ||
      (query.until !== undefined && startSortKey >= query.until))
  ) {
    throw new RequestValidationError(
      'The cursor does not belong to this time range; omit it to start over.',
      [{ pointer: '/query/cursor', message: 'must be a nextCursor returned by this listing' }],
    );
  }
  const result = await documentClient().send(
    new QueryCommand({
      TableName: dataTableName(),
      ...(indexName === undefined ? {} : { IndexName: indexName }),
      KeyConditionExpression: keyCondition,
      ...(filters.length === 0 ? {} : { FilterExpression: filters.join(' AND ') }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ScanIndexForward: false,
      Limit: query.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  return { items: (result.Items ?? []).map(toRecord), nextCursor: encodeCursor(result.LastEvaluatedKey) };
}

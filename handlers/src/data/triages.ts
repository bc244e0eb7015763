/**
 * Triage records. Each triage has its own partition `T#<t>#TRIAGE#<id>`, so the upload can claim its
 * client-generated id with a conditional put. Access patterns:
 * - a triage by id: GetItem
 * - a patient's triages by capture time: Query gsi1 `T#<t>#PATIENT#<patientId>#TRIAGES`
 * - a disaster's triages by receive time: Query gsi2 `T#<t>#D#<disasterId>#TRIAGES`, gsi2sk >= since
 *
 * The uploaded content never changes. Only the server-set fields `status`, `confirmedBy`, `confirmedAt`
 * (by a confirmation) and `supersededBy` (by a correction) are updated later, each at most once.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { TriageStatus } from '../domain/confirmation.js';
import type { DisasterMode } from '../domain/vocabulary.js';
import { putNew, type TransactWriteItem, toRecord } from './clinical-items.js';
import { INDEX, timeOrderedKey, triageKey } from './clinical-keys.js';
import { type Page, queryFiltered } from './filtered-query.js';
import { dataTableName, documentClient } from './table.js';

export type TriageFlag = 'late-upload' | 'device-revoked' | 'clock-ahead';

export interface TriageRecord {
  id: string;
  tenantId: string;
  disasterId: string;
  /** Mode of the disaster, copied so photo handling and purges need not read the disaster. */
  mode: DisasterMode;
  patientId: string;
  cardCode: string;
  /** Capture time normalised to UTC with milliseconds. */
  capturedAt: string;
  receivedAt: string;
  deviceId: string | null;
  userId: string | null;
  /** The writable fields exactly as uploaded. */
  content: Record<string, unknown>;
  /** SHA-256 of the canonical JSON of `content`; a repeated upload is compared by it. */
  contentHash: string;
  status: TriageStatus;
  confirmedBy: string | null;
  confirmedAt: string | null;
  supersedes: string | null;
  supersededBy: string | null;
  flags: TriageFlag[];
  /** Retention deadline of the triage's disaster in epoch seconds (DynamoDB TTL). */
  expiresAt: number;
}

function triageItem(triage: TriageRecord): Record<string, unknown> {
  return {
    ...triageKey(triage.tenantId, triage.id),
    gsi1pk: INDEX.triagesOfPatient(triage.tenantId, triage.patientId),
    gsi1sk: timeOrderedKey(triage.capturedAt, triage.id),
    gsi2pk: INDEX.triagesOfDisaster(triage.tenantId, triage.disasterId),
    gsi2sk: timeOrderedKey(triage.receivedAt, triage.id),
    type: 'Triage',
    ...triage,
  };
}

export function toTriageRecord(item: Record<string, unknown>): TriageRecord {
  return toRecord<TriageRecord>(item);
}

/** Returns the put that stores a new triage; it fails when the id is taken. */
export function putTriageItem(triage: TriageRecord): TransactWriteItem {
  return putNew(triageItem(triage));
}

export async function getTriage(tenantId: string, triageId: string): Promise<TriageRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: triageKey(tenantId, triageId), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : toTriageRecord(Item);
}

/** Returns the update that marks a triage as superseded; it fails when another triage superseded it first. */
export function supersedeTriageItem(
  tenantId: string,
  triageId: string,
  supersededBy: string,
): TransactWriteItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: triageKey(tenantId, triageId),
      UpdateExpression: 'SET supersededBy = :supersededBy',
      // New triages store `supersededBy` as a DynamoDB NULL, which only attribute_type can test.
      ConditionExpression: 'attribute_type(supersededBy, :nullType)',
      ExpressionAttributeValues: { ':supersededBy': supersededBy, ':nullType': 'NULL' },
    },
  };
}

/** Returns the update that confirms a pending triage; it fails when the triage is no longer pending. */
export function confirmTriageItem(
  tenantId: string,
  triageId: string,
  confirmedBy: string | null,
  confirmedAt: string,
): TransactWriteItem {
  return {
    Update: {
      TableName: dataTableName(),
      Key: triageKey(tenantId, triageId),
      UpdateExpression: 'SET #status = :final, confirmedBy = :confirmedBy, confirmedAt = :confirmedAt',
      ConditionExpression: '#status = :pending',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':final': 'final',
        ':pending': 'pending-confirmation',
        ':confirmedBy': confirmedBy,
        ':confirmedAt': confirmedAt,
      },
    },
  };
}

/** Lists a patient's triages by capture time, oldest first, superseded ones included. */
export async function listPatientTriages(
  tenantId: string,
  patientId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<TriageRecord>> {
  const partition = INDEX.triagesOfPatient(tenantId, patientId);
  return queryFiltered({
    input: {
      TableName: dataTableName(),
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :partition',
      ExpressionAttributeValues: { ':partition': partition },
    },
    keyAttributes: ['pk', 'sk', 'gsi1pk', 'gsi1sk'],
    partition,
    partitionAttribute: 'gsi1pk',
    limit,
    cursor,
    select: toTriageRecord,
  });
}

/** Lists a disaster's triages by receive time, oldest first, from `since` (inclusive) on. */
export async function listDisasterTriages(
  tenantId: string,
  disasterId: string,
  since: string | undefined,
  limit: number,
  cursor: string | undefined,
): Promise<Page<TriageRecord>> {
  const partition = INDEX.triagesOfDisaster(tenantId, disasterId);
  return queryFiltered({
    input: {
      TableName: dataTableName(),
      IndexName: 'gsi2',
      KeyConditionExpression:
        since === undefined ? 'gsi2pk = :partition' : 'gsi2pk = :partition AND gsi2sk >= :since',
      ExpressionAttributeValues: {
        ':partition': partition,
        ...(since === undefined ? {} : { ':since': since }),
      },
    },
    keyAttributes: ['pk', 'sk', 'gsi2pk', 'gsi2sk'],
    partition,
    partitionAttribute: 'gsi2pk',
    // A cursor from a listing with an earlier `since` would start outside this Query's key range.
    ...(since === undefined
      ? {}
      : { acceptStartKey: (key: Record<string, string>) => (key.gsi2sk ?? '') >= since }),
    limit,
    cursor,
    select: toTriageRecord,
  });
}

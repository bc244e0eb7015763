/**
 * The overview item of a disaster (counters changed with ADD in the same transaction as the triage or patient
 * write that causes them) and the one-Query read of everything the dashboard shows.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTER } from '../domain/overview-counters.js';
import type { Stage } from '../domain/vocabulary.js';
import { type TransactWriteItem, toRecord } from './clinical-items.js';
import { disasterPartition, overviewKey, SORT_KEY, stageTimeKey } from './clinical-keys.js';
import type { DisasterRecord } from './disasters.js';
import { type Page, queryFiltered } from './filtered-query.js';
import { type PatientRecord, toPatientRecord } from './patients.js';
import { dataTableName, documentClient, isConditionalCheckFailed } from './table.js';

/**
 * Returns the update of the overview counters, or undefined when nothing changes. The update has no condition:
 * concurrent transactions add to the same counters without cancelling each other.
 */
export function overviewUpdateItem(
  tenantId: string,
  disasterId: string,
  changes: ReadonlyMap<string, number>,
): TransactWriteItem | undefined {
  if (changes.size === 0) return undefined;
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const additions: string[] = [];
  let index = 0;
  for (const [name, delta] of changes) {
    names[`#c${index}`] = name;
    values[`:c${index}`] = delta;
    additions.push(`#c${index} :c${index}`);
    index++;
  }
  return {
    Update: {
      TableName: dataTableName(),
      Key: overviewKey(tenantId, disasterId),
      UpdateExpression: `ADD ${additions.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/**
 * Moves the capture time of a stage's latest triage forward to `capturedAt`; a later stored time stays. The time
 * lives in its own item, written after the upload's transaction: a conditional write inside the transaction
 * would cancel every concurrent upload of the stage that stored a later time first. Writing it again is
 * harmless, so an upload replayed after a failure between the two writes repairs it.
 */
export async function moveStageTime(
  tenantId: string,
  disasterId: string,
  stage: Stage,
  capturedAt: string,
  expiresAt: number | undefined,
): Promise<void> {
  try {
    await documentClient().send(
      new UpdateCommand({
        TableName: dataTableName(),
        Key: stageTimeKey(tenantId, disasterId, stage),
        UpdateExpression:
          'SET #time = :time, #type = :type, tenantId = :tenant, disasterId = :disaster, stage = :stage' +
          (expiresAt === undefined ? '' : ', expiresAt = :expires'),
        ConditionExpression: 'attribute_not_exists(#time) OR #time < :time',
        ExpressionAttributeNames: { '#time': 'lastTriageAt', '#type': 'type' },
        ExpressionAttributeValues: {
          ':time': capturedAt,
          ':type': 'StageTime',
          ':tenant': tenantId,
          ':disaster': disasterId,
          ':stage': stage,
          ...(expiresAt === undefined ? {} : { ':expires': expiresAt }),
        },
      }),
    );
  } catch (error) {
    if (!isConditionalCheckFailed(error)) throw error;
  }
}

/**
 * Folds the items of a disaster partition whose sort key starts with `#` into the overview record: the counters
 * item plus `lastTriageAt:<stage>` from the stage time items.
 */
export function overviewRecord(items: readonly Record<string, unknown>[]): Record<string, unknown> {
  const overview: Record<string, unknown> = { ...items.find((item) => item.sk === SORT_KEY.overview) };
  for (const item of items) {
    const sortKey = String(item.sk);
    if (sortKey.startsWith(SORT_KEY.stageTimePrefix) && typeof item.lastTriageAt === 'string') {
      overview[COUNTER.lastTriageAt(sortKey.slice(SORT_KEY.stageTimePrefix.length) as Stage)] =
        item.lastTriageAt;
    }
  }
  return overview;
}

/** The stored attributes of a patient item that the map shows; the item keeps them next to the history. */
export interface MapPatientItem {
  id: string;
  cardCode: string;
  ageGroup: string;
  status: string;
  currentCategory: string;
  currentStage: string | null;
  currentTriageId: string | null;
  lastTriagedAt: string | null;
  position: Record<string, unknown> | null;
  pendingConfirmation: boolean;
  transportPriority: string | null;
}

const MAP_ATTRIBUTES = [
  'pk',
  'sk',
  'id',
  'cardCode',
  'ageGroup',
  'status',
  'currentCategory',
  'currentStage',
  'currentTriageId',
  'lastTriagedAt',
  'position',
  'pendingConfirmation',
  'transportPriority',
] as const;

/**
 * Returns one page of a disaster's patients in card code order with only the attributes the map shows. The read
 * is strongly consistent, because the dashboard applies WebSocket events on top of these pages. The projection
 * leaves the triage history in the table, but DynamoDB still charges the full item sizes.
 */
export async function listMapPatients(
  tenantId: string,
  disasterId: string,
  limit: number,
  cursor: string | undefined,
): Promise<Page<MapPatientItem>> {
  const partition = disasterPartition(tenantId, disasterId);
  const names = Object.fromEntries(MAP_ATTRIBUTES.map((name, index) => [`#a${index}`, name]));
  return queryFiltered({
    input: {
      TableName: dataTableName(),
      KeyConditionExpression: '#a0 = :partition AND begins_with(#a1, :prefix)',
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: { ':partition': partition, ':prefix': SORT_KEY.patientPrefix },
      ProjectionExpression: Object.keys(names).join(', '),
      ConsistentRead: true,
    },
    keyAttributes: ['pk', 'sk'],
    partition,
    partitionAttribute: 'pk',
    sortKeyCheck: { attribute: 'sk', prefix: SORT_KEY.patientPrefix },
    limit,
    cursor,
    // Reading one item more than the page shows reveals whether another page follows, so a full last page gets
    // no cursor to an empty one.
    maxItemsRead: limit + 1,
    select: (item) => item as unknown as MapPatientItem,
  });
}

/** Everything in a disaster's partition. */
export interface DisasterPartitionContents {
  disaster: DisasterRecord;
  overview: Record<string, unknown>;
  patients: PatientRecord[];
}

/**
 * Reads a disaster's whole partition with one Query (DynamoDB returns it in 1 MB pages): the disaster, its
 * counters and every patient. The counters cost the same for any number of patients; the patient items grow
 * with the history they keep. Returns undefined when the disaster does not exist.
 */
export async function readDisasterPartition(
  tenantId: string,
  disasterId: string,
): Promise<DisasterPartitionContents | undefined> {
  let disaster: DisasterRecord | undefined;
  const counters: Record<string, unknown>[] = [];
  const patients: PatientRecord[] = [];
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: dataTableName(),
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': disasterPartition(tenantId, disasterId) },
        // Strongly consistent: the dashboard applies WebSocket events on top of this read, so it must not miss
        // a write whose event already arrived.
        ConsistentRead: true,
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      const sortKey = String(item.sk);
      if (sortKey === SORT_KEY.disaster) disaster = toRecord<DisasterRecord>(item);
      else if (sortKey.startsWith('#')) counters.push(item);
      else if (sortKey.startsWith(SORT_KEY.patientPrefix)) patients.push(toPatientRecord(item));
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return disaster === undefined ? undefined : { disaster, overview: overviewRecord(counters), patients };
}

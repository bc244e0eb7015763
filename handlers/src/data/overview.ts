/**
 * The overview item of a disaster (counters changed with ADD in the same transaction as the triage or patient
 * write that causes them) and the one-Query read of everything the dashboard shows.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { COUNTER } from '../domain/overview-counters.js';
import type { Stage } from '../domain/vocabulary.js';
import { type TransactWriteItem, toRecord } from './clinical-items.js';
import { disasterPartition, overviewKey, SORT_KEY } from './clinical-keys.js';
import type { DisasterRecord } from './disasters.js';
import { type PatientRecord, toPatientRecord } from './patients.js';
import { dataTableName, documentClient } from './table.js';

/** A stage whose latest triage time moves forward to `capturedAt`. */
export interface StageTimeUpdate {
  stage: Stage;
  capturedAt: string;
}

/**
 * Returns the update of the overview item, or undefined when nothing changes. The per-stage latest triage time
 * only moves forward: the condition holds unless a concurrent writer already stored a later time, and only then
 * cancels this transaction, which retries on fresh data and leaves the time alone. Concurrent uploads that each
 * move the time forward do not cancel each other, so a busy stage does not serialise its uploads.
 */
export function overviewUpdateItem(
  tenantId: string,
  disasterId: string,
  changes: ReadonlyMap<string, number>,
  stageTime?: StageTimeUpdate,
): TransactWriteItem | undefined {
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

  const clauses: string[] = [];
  if (additions.length > 0) clauses.push(`ADD ${additions.join(', ')}`);
  let condition: string | undefined;
  if (stageTime !== undefined) {
    names['#last'] = COUNTER.lastTriageAt(stageTime.stage);
    values[':last'] = stageTime.capturedAt;
    clauses.push('SET #last = :last');
    condition = 'attribute_not_exists(#last) OR #last < :last';
  }
  if (clauses.length === 0) return undefined;

  return {
    Update: {
      TableName: dataTableName(),
      Key: overviewKey(tenantId, disasterId),
      UpdateExpression: clauses.join(' '),
      ...(condition === undefined ? {} : { ConditionExpression: condition }),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
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
  let overview: Record<string, unknown> = {};
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
      else if (sortKey === SORT_KEY.overview) overview = item;
      else if (sortKey.startsWith(SORT_KEY.patientPrefix)) patients.push(toPatientRecord(item));
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return disaster === undefined ? undefined : { disaster, overview, patients };
}

// DynamoDB figures of the bench: the capacity each operation consumed (read from the handlers' completion log
// lines, which carry ReturnConsumedCapacity totals), and the ceiling of DynamoDB Local itself for the
// requests one triage upload sends.

import { randomUUID } from 'node:crypto';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  BatchWriteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';

export interface CapacityUsage {
  readUnits: number;
  writeUnits: number;
  commands: Record<string, number>;
}

export interface CompletedRequest {
  operationId: string;
  status: number;
  dynamodb: CapacityUsage;
}

/** Collects the `request completed` lines the REST functions write, by operation. */
export class RequestLog {
  private readonly completed: CompletedRequest[] = [];

  /** Pass as `functionOutput` to startPlatform. */
  readonly output = (_functionName: string, line: string): void => {
    if (!line.includes('"request completed"')) return;
    try {
      const entry = JSON.parse(line) as Partial<CompletedRequest>;
      if (typeof entry.operationId === 'string' && entry.dynamodb !== undefined) {
        this.completed.push({
          operationId: entry.operationId,
          status: Number(entry.status),
          dynamodb: entry.dynamodb,
        });
      }
    } catch {
      // Not a JSON log line.
    }
  };

  /** Returns and removes the entries of one operation logged since the last call for it. */
  take(operationId: string): CompletedRequest[] {
    const taken = this.completed.filter((entry) => entry.operationId === operationId);
    for (let index = this.completed.length - 1; index >= 0; index--) {
      if (this.completed[index]?.operationId === operationId) this.completed.splice(index, 1);
    }
    return taken;
  }

  /** Waits until an entry of the operation arrived (log lines travel through a pipe) and returns the last one. */
  async last(operationId: string): Promise<CompletedRequest> {
    const until = Date.now() + 5_000;
    for (;;) {
      const taken = this.take(operationId);
      const found = taken.at(-1);
      if (found !== undefined) return found;
      if (Date.now() > until) throw new Error(`No completion log line of ${operationId} arrived.`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

function documentClient(endpoint: string): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
    { marshallOptions: { removeUndefinedValues: true } },
  );
}

/** Finds the Data table of the local stack (its physical name ends in the logical id's prefix `Data`). */
export async function dataTableName(endpoint: string): Promise<string> {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const { TableNames = [] } = await client.send(new ListTablesCommand({}));
  client.destroy();
  const found = TableNames.find((name) => /data/i.test(name) && !/connection/i.test(name));
  if (found === undefined) throw new Error(`No Data table among ${TableNames.join(', ')}.`);
  return found;
}

/**
 * Adds `count` copies of a stored patient item to the same disaster partition, each under its own card code and
 * id, so the partition contains as many patient items as a large incident. Only the partition's size matters for
 * the read being measured; the copies are not counted in the disaster's counters.
 */
export async function fillPartition(
  endpoint: string,
  table: string,
  key: { pk: string; sk: string },
  count: number,
): Promise<void> {
  const client = documentClient(endpoint);
  const { Item } = await client.send(new GetCommand({ TableName: table, Key: key }));
  if (Item === undefined) throw new Error(`No item at ${key.pk} / ${key.sk} to copy.`);
  const base = 7_100_000_000_000;
  for (let start = 0; start < count; start += 25) {
    const copies = Array.from({ length: Math.min(25, count - start) }, (_unused, offset) => {
      const cardCode = String(base + start + offset);
      return { PutRequest: { Item: { ...Item, sk: `PATIENT#${cardCode}`, cardCode, id: randomUUID() } } };
    });
    let pending: typeof copies | undefined = copies;
    for (let attempt = 0; pending !== undefined && pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem kept returning unprocessed items.');
      const result = await client.send(new BatchWriteCommand({ RequestItems: { [table]: pending } }));
      pending = result.UnprocessedItems?.[table] as typeof copies | undefined;
    }
  }
  client.destroy();
}

/**
 * Sends, from `clients` parallel loops for `seconds`, the DynamoDB requests of one first triage upload of a new
 * card: a BatchGetItem of six keys, a TransactWriteItems of seven items (triage, patient, id pointer, card,
 * counters, disaster check, audit event) and the stage time update. Returns completed sequences per second:
 * the ceiling of uploads per second DynamoDB Local allows on this machine, whatever the handlers do.
 */
export async function uploadShapedCeiling(
  endpoint: string,
  table: string,
  clients: number,
  seconds: number,
): Promise<{ perSecond: number; completed: number }> {
  const client = documentClient(endpoint);
  const partition = `T#bench-ceiling#D#${randomUUID()}`;
  await client.send(
    new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: table,
            Item: { pk: partition, sk: '#DISASTER', status: 'active', name: 'Ceiling' },
          },
        },
        { Put: { TableName: table, Item: { pk: partition, sk: '#OVERVIEW' } } },
      ],
    }),
  );
  const history = Array.from({ length: 1 }, () => ({
    triageId: randomUUID(),
    capturedAt: new Date().toISOString(),
    stage: 'incident',
    category: 'yellow',
    status: 'final',
    position: { lat: 50.03, lon: 8.56, accuracyMeters: 8 },
  }));
  let sequence = 0;
  let completed = 0;
  const until = Date.now() + seconds * 1000;
  const loop = async () => {
    while (Date.now() < until) {
      sequence += 1;
      const card = `C${sequence}`;
      const triage = randomUUID();
      const patient = randomUUID();
      await client.send(
        new BatchGetCommand({
          RequestItems: {
            [table]: {
              ConsistentRead: true,
              Keys: [
                { pk: `T#bench-ceiling#TRIAGE#${triage}`, sk: '#TRIAGE' },
                { pk: partition, sk: '#DISASTER' },
                { pk: partition, sk: '#OVERVIEW' },
                { pk: partition, sk: '#STAGE#incident' },
                { pk: `T#bench-ceiling#CARD#${card}`, sk: '#CARD' },
                { pk: partition, sk: `PATIENT#${card}` },
              ],
            },
          },
        }),
      );
      const now = new Date().toISOString();
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: table,
                Item: { pk: `T#bench-ceiling#TRIAGE#${triage}`, sk: '#TRIAGE', capturedAt: now, history },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: partition, sk: `PATIENT#${card}`, id: patient, history, version: 1 },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: `T#bench-ceiling#PATIENT#${patient}`, sk: '#PATIENT', cardCode: card },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: `T#bench-ceiling#CARD#${card}`, sk: '#CARD', patientId: patient },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Update: {
                TableName: table,
                Key: { pk: partition, sk: '#OVERVIEW' },
                UpdateExpression: 'ADD #a :one, #b :one, #c :one',
                ExpressionAttributeNames: { '#a': 'patientsTotal', '#b': 'triagesTotal', '#c': 'cell' },
                ExpressionAttributeValues: { ':one': 1 },
              },
            },
            {
              ConditionCheck: {
                TableName: table,
                Key: { pk: partition, sk: '#DISASTER' },
                ConditionExpression: '#status = :active',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':active': 'active' },
              },
            },
            {
              Put: {
                TableName: table,
                Item: { pk: `T#bench-ceiling#AUDIT#${now}`, sk: randomUUID(), action: 'create' },
              },
            },
          ],
        }),
      );
      await client.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk: partition, sk: '#STAGE#incident' },
          UpdateExpression: 'SET lastTriageAt = :time',
          ExpressionAttributeValues: { ':time': now },
        }),
      );
      completed += 1;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, loop));
  const elapsed = (performance.now() - started) / 1000;
  client.destroy();
  return { perSecond: completed / elapsed, completed };
}

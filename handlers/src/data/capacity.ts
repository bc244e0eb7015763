/**
 * Consumed DynamoDB capacity per request. Every data-plane command requests ReturnConsumedCapacity TOTAL (table
 * and indexes, at no cost), and the units are summed until the adapter takes them for the request's
 * completion log line. A function instance serves one request at a time, so one running total is enough.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** Capacity one request consumed, with the number of each DynamoDB command it sent. */
export interface CapacityUsage {
  readUnits: number;
  writeUnits: number;
  commands: Record<string, number>;
}

interface ConsumedCapacity {
  CapacityUnits?: number;
}

/** Commands that accept ReturnConsumedCapacity, and whether their units are reads. */
const DATA_COMMANDS: Readonly<Record<string, boolean>> = {
  GetItemCommand: true,
  BatchGetItemCommand: true,
  QueryCommand: true,
  ScanCommand: true,
  TransactGetItemsCommand: true,
  PutItemCommand: false,
  UpdateItemCommand: false,
  DeleteItemCommand: false,
  BatchWriteItemCommand: false,
  TransactWriteItemsCommand: false,
};

let current: CapacityUsage = { readUnits: 0, writeUnits: 0, commands: {} };

function units(consumed: ConsumedCapacity | ConsumedCapacity[] | undefined): number {
  if (consumed === undefined) return 0;
  const list = Array.isArray(consumed) ? consumed : [consumed];
  return list.reduce((sum, entry) => sum + (entry.CapacityUnits ?? 0), 0);
}

/** Adds the middleware that requests and sums consumed capacity to a client (once per client). */
export function measureCapacity(client: DynamoDBClient): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = context.commandName ?? 'UnknownCommand';
      const isRead = DATA_COMMANDS[name];
      if (isRead === undefined) return next(args);
      const input = args.input as { ReturnConsumedCapacity?: string };
      input.ReturnConsumedCapacity ??= 'TOTAL';
      const command = name.replace(/Command$/, '');
      current.commands[command] = (current.commands[command] ?? 0) + 1;
      try {
        const result = await next(args);
        const consumed = units(
          (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity,
        );
        if (isRead) current.readUnits += consumed;
        else current.writeUnits += consumed;
        return result;
      } catch (error) {
        // A cancelled transaction or failed condition still consumed capacity, reported on the error.
        const consumed = units(
          (error as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] }).ConsumedCapacity,
        );
        if (isRead) current.readUnits += consumed;
        else current.writeUnits += consumed;
        throw error;
      }
    },
    { step: 'initialize', name: 'katappConsumedCapacity' },
  );
}

/** Returns the capacity summed since the last call and starts a new sum. */
export function takeCapacityUsage(): CapacityUsage {
  const taken = current;
  current = { readUnits: 0, writeUnits: 0, commands: {} };
  return taken;
}

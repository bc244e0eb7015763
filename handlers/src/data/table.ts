/**
 * DynamoDB access shared by all functions: one document client, table names from the environment, key
 * builders, and opaque pagination cursors.
 *
 * Key convention: every item owned by a tenant has a partition key that starts with `T#<tenantId>#`, so a
 * key built from the verified token's tenant can never address another tenant's item. The only items outside
 * that prefix are global lookups that map an identifier presented before authentication to a tenant:
 * `EMAIL#<address>` (login), `TENANTNAME#<name>` (unique tenant names), `RT#<sha256>` (refresh tokens) and
 * `DT#<sha256>` (device tokens). Each holds the tenant id, and every read through it continues with tenant keys.
 */
import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RequestValidationError } from '../errors.js';
import { measureCapacity } from './capacity.js';

let lowLevelClient: DynamoDBClient | undefined;
let documentClientInstance: DynamoDBDocumentClient | undefined;

/**
 * Returns the low-level DynamoDB client. Its middleware stack also serves the document client, so a
 * middleware added here sees every command the handlers send.
 */
export function dynamoDbClient(): DynamoDBClient {
  if (lowLevelClient === undefined) {
    lowLevelClient = new DynamoDBClient({});
    measureCapacity(lowLevelClient);
  }
  return lowLevelClient;
}

/** Returns the document client (plain JavaScript values in and out, `undefined` attributes dropped). */
export function documentClient(): DynamoDBDocumentClient {
  if (documentClientInstance === undefined) {
    documentClientInstance = DynamoDBDocumentClient.from(dynamoDbClient(), {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }
  return documentClientInstance;
}

function requiredEnvironment(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') {
    throw new Error(`Environment variable ${name} is missing; it must hold the DynamoDB table name.`);
  }
  return value;
}

/** Name of the Data table, read on every call so tests can switch tables per file. */
export function dataTableName(): string {
  return requiredEnvironment('DATA_TABLE');
}

export function connectionsTableName(): string {
  return requiredEnvironment('CONNECTIONS_TABLE');
}

/** Primary key of an item. */
export interface ItemKey {
  pk: string;
  sk: string;
}

/** Returns a partition key owned by a tenant: `T#<tenantId>#<part>#<part>...`. */
export function tenantPartition(tenantId: string, ...parts: string[]): string {
  if (tenantId === '' || tenantId.includes('#')) {
    throw new Error(`Invalid tenant id for a key: ${JSON.stringify(tenantId)}`);
  }
  return ['T', tenantId, ...parts].join('#');
}

/** Returns whether a partition key belongs to the tenant. */
export function belongsToTenant(pk: string, tenantId: string): boolean {
  return pk.startsWith(`T#${tenantId}#`);
}

/** Returns the epoch seconds DynamoDB TTL expects for a date. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/**
 * Encodes a DynamoDB LastEvaluatedKey as an opaque base64url cursor, or null when there is no next page.
 */
export function encodeCursor(lastEvaluatedKey: Record<string, unknown> | undefined): string | null {
  if (lastEvaluatedKey === undefined) {
    return null;
  }
  return Buffer.from(JSON.stringify(lastEvaluatedKey), 'utf8').toString('base64url');
}

const keyAttributeNames: ReadonlySet<string> = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk']);

/** Restricts the sort key a cursor may carry, e.g. to the `begins_with` range of the Query it continues. */
export interface CursorSortKeyCheck {
  readonly attribute: string;
  readonly prefix: string;
}

/**
 * Decodes a cursor into an ExclusiveStartKey. The cursor must be a JSON object of exactly the key attributes of the
 * queried table or index, whose partition attribute equals `expectedPartition` (and whose sort key starts with
 * the given prefix, if any).
 * Anything else is a 400: a cursor can only continue the listing it came from, and a tampered one never
 * reaches DynamoDB, which would reject a start key outside the Query's range.
 */
export function decodeCursor(
  cursor: string | undefined,
  expectedPartition: string,
  partitionAttribute = 'pk',
  sortKeyCheck?: CursorSortKeyCheck,
): Record<string, string> | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const message =
    'The cursor is invalid; pass the nextCursor of the previous page unchanged, or omit it to start over.';
  const fieldErrors = [
    { pointer: '/query/cursor', message: 'must be a nextCursor returned by this listing' },
  ];
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RequestValidationError(message, fieldErrors, { cause: error });
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw new RequestValidationError(message, fieldErrors);
  }
  const entries = Object.entries(decoded);
  // A start key must name exactly the key attributes of the table or index the Query reads: the table's pk and
  // sk, plus the index's own pair. DynamoDB rejects any other set with a ValidationException.
  const expectedNames =
    partitionAttribute === 'pk'
      ? ['pk', 'sk']
      : ['pk', 'sk', partitionAttribute, partitionAttribute.replace(/pk$/, 'sk')];
  const wellFormed =
    entries.length === expectedNames.length &&
    entries.every(
      ([name, value]) =>
        keyAttributeNames.has(name) &&
        expectedNames.includes(name) &&
        typeof value === 'string' &&
        value !== '',
    );
  if (!wellFormed) {
    throw new RequestValidationError(message, fieldErrors);
  }
  const key = Object.fromEntries(entries) as Record<string, string>;
  if (key[partitionAttribute] !== expectedPartition) {
    throw new RequestValidationError(message, fieldErrors);
  }
  if (sortKeyCheck !== undefined && !(key[sortKeyCheck.attribute] ?? '').startsWith(sortKeyCheck.prefix)) {
    throw new RequestValidationError(message, fieldErrors);
  }
  return key;
}

/** Returns whether a single-item write failed its condition expression. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException;
}

/**
 * Returns the cancellation reason code of each item of a cancelled TransactWriteItems, in request order
 * (`None` for items that did not cause it), or null for any other error.
 */
export function transactionCancellationCodes(error: unknown): string[] | null {
  if (!(error instanceof TransactionCanceledException)) {
    return null;
  }
  return (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
}

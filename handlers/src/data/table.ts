/**
 * DynamoDB access shared by all functions: one document client, table names from the environment, key
 * builders, and opaque pagination cursors.
 *
 * Key convention: every item owned by a tenant has a partition key that starts with `T#<tenantId>#`, so a
 * key built from the verified token's tenant can never address another tenant's item. The only items outside
 * that prefix are global lookups that map a public identifier to a tenant: `EMAIL#<address>` (login by
 * e-mail) and `TENANTS` index entries (the public tenant list).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { RequestValidationError } from '../errors.js';
import { tracer } from '../observability/index.js';

let lowLevelClient: DynamoDBClient | undefined;
let documentClientInstance: DynamoDBDocumentClient | undefined;

/**
 * Returns the low-level DynamoDB client. Its middleware stack also serves the document client, so a
 * middleware added here sees every command the handlers send.
 */
export function dynamoDbClient(): DynamoDBClient {
  if (lowLevelClient === undefined) {
    lowLevelClient = tracer.captureAWSv3Client(new DynamoDBClient({}));
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

/**
 * Decodes a cursor into an ExclusiveStartKey. A cursor that is malformed, or whose partition key belongs to
 * another tenant or another partition than `expectedPartitionPrefix`, is a 400: a cursor can only continue the
 * listing it came from.
 */
export function decodeCursor(
  cursor: string | undefined,
  expectedPartitionPrefix: string,
  partitionAttribute = 'pk',
): Record<string, string> | undefined {
  if (cursor === undefined) {
    return undefined;
  }
  const invalid = new RequestValidationError(
    'The cursor is invalid; pass the nextCursor of the previous page unchanged, or omit it to start over.',
    [{ pointer: '/query/cursor', message: 'must be a nextCursor returned by this listing' }],
  );
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch (error) {
    throw new RequestValidationError(invalid.message, invalid.errors, { cause: error });
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    throw invalid;
  }
  const entries = Object.entries(decoded);
  if (
    entries.length === 0 ||
    entries.length > 4 ||
    !entries.every(([, value]) => typeof value === 'string')
  ) {
    throw invalid;
  }
  const key = Object.fromEntries(entries) as Record<string, string>;
  const partition = key[partitionAttribute];
  if (partition === undefined || !partition.startsWith(expectedPartitionPrefix)) {
    throw invalid;
  }
  return key;
}

/**
 * Cursor pagination over a Query whose results are filtered in code (distance, category sets). DynamoDB applies
 * `Limit` before any filter, so this helper reads pages until it has `limit` matching items, then returns a
 * cursor at the last item it returned rather than at the end of the page it read.
 */
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { RequestValidationError } from '../errors.js';
import { type CursorSortKeyCheck, decodeCursor, documentClient, encodeCursor } from './table.js';

export interface FilteredQueryOptions<T> {
  /** The Query without ExclusiveStartKey and Limit. */
  readonly input: Omit<QueryCommandInput, 'ExclusiveStartKey' | 'Limit'>;
  /** Attributes that form the key of an item in the queried table or index (table keys first). */
  readonly keyAttributes: readonly string[];
  /** Partition key value the cursor must carry, so a cursor only continues the listing it came from. */
  readonly partition: string;
  /** Name of the partition key attribute: `pk` for the table, `gsi1pk` or `gsi2pk` for an index. */
  readonly partitionAttribute: string;
  /** Restricts the cursor's sort key to the range the Query reads, e.g. a `begins_with` prefix. */
  readonly sortKeyCheck?: CursorSortKeyCheck;
  /** Further check of a decoded cursor against the Query's key range; false makes the request a 400. */
  readonly acceptStartKey?: (key: Record<string, string>) => boolean;
  readonly limit: number;
  readonly cursor: string | undefined;
  /** Keeps an item when it returns a value, drops it when it returns undefined. */
  readonly select: (item: Record<string, unknown>) => T | undefined;
  /**
   * Upper bound on items read per call. A page may come back shorter than `limit` with a cursor when the filter
   * drops most items; this bounds the read capacity one request consumes.
   */
  readonly maxItemsRead?: number;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

const DEFAULT_MAX_ITEMS_READ = 2000;

function keyOf(item: Record<string, unknown>, attributes: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(attributes.map((name) => [name, item[name]]));
}

/** Runs the Query page by page and returns up to `limit` selected items with a cursor to continue. */
export async function queryFiltered<T>(options: FilteredQueryOptions<T>): Promise<Page<T>> {
  const maxItemsRead = options.maxItemsRead ?? DEFAULT_MAX_ITEMS_READ;
  const startKey = decodeCursor(
    options.cursor,
    options.partition,
    options.partitionAttribute,
    options.sortKeyCheck,
  );
  if (startKey !== undefined && options.acceptStartKey?.(startKey) === false) {
    throw new RequestValidationError('The cursor does not belong to this listing; omit it to start over.', [
      { pointer: '/query/cursor', message: 'must be a nextCursor returned by this listing' },
    ]);
  }
  let exclusiveStartKey: Record<string, unknown> | undefined = startKey;
  const items: T[] = [];
  let itemsRead = 0;

  while (true) {
    const result = await documentClient().send(
      new QueryCommand({
        ...options.input,
        ExclusiveStartKey: exclusiveStartKey,
        Limit: Math.min(Math.max(options.limit * 2, 25), maxItemsRead - itemsRead),
      }),
    );
    const page = result.Items ?? [];
    for (const [index, item] of page.entries()) {
      itemsRead++;
      const selected = options.select(item);
      if (selected !== undefined) items.push(selected);
      const moreInPage = index < page.length - 1 || result.LastEvaluatedKey !== undefined;
      if (items.length === options.limit) {
        return { items, nextCursor: moreInPage ? encodeCursor(keyOf(item, options.keyAttributes)) : null };
      }
    }
    exclusiveStartKey = result.LastEvaluatedKey;
    if (exclusiveStartKey === undefined) return { items, nextCursor: null };
    if (itemsRead >= maxItemsRead) return { items, nextCursor: encodeCursor(exclusiveStartKey) };
  }
}

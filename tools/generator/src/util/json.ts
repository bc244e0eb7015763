// JSON helpers shared by every transform: deep copies, stable serialization and JSON Pointers (RFC 6901).

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Recursively sorts object keys so that equal values always serialize to the same bytes. */
export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

/** Serializes with two-space indentation and a final newline; `sorted` also orders every object's keys. */
export function toJson(value: unknown, options: { sorted?: boolean } = {}): string {
  return `${JSON.stringify(options.sorted ? sortKeys(value) : value, null, 2)}\n`;
}

export function escapePointerToken(token: string): string {
  return token.replaceAll('~', '~0').replaceAll('/', '~1');
}

export function unescapePointerToken(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}

export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((token) => `/${escapePointerToken(String(token))}`).join('');
}

/** Resolves a JSON Pointer ("" or "/a/b") inside `document`; returns undefined when a token is missing. */
export function resolvePointer(document: unknown, jsonPointer: string): unknown {
  if (jsonPointer === '') return document;
  if (!jsonPointer.startsWith('/'))
    throw new Error(`Invalid JSON Pointer "${jsonPointer}": it must start with "/".`);
  let current: unknown = document;
  for (const raw of jsonPointer.slice(1).split('/')) {
    const token = unescapePointerToken(raw);
    if (Array.isArray(current)) current = current[Number(token)];
    else if (isObject(current)) current = current[token];
    else return undefined;
  }
  return current;
}

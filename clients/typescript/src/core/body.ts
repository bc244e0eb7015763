// Request body encoding by the media type the operation declares (OpenAPI 3.1 Request Body Object).
import { KatAppRequestError } from './errors.js';

/** The body as fetch sends it and the Content-Type header to go with it. */
export interface PreparedBody {
  body: BodyInit | undefined;
  /**
   * The Content-Type to send; `null` removes any Content-Type header, so the fetch runtime sets it
   * (FormData gets `multipart/form-data; boundary=...`, URLSearchParams gets the urlencoded type).
   */
  contentType: string | null;
}

/** Strips parameters: `application/json; charset=utf-8` → `application/json`. */
export function essenceOf(contentType: string): string {
  return (contentType.split(';')[0] ?? '').trim().toLowerCase();
}

export function isJsonMediaType(mediaType: string): boolean {
  const essence = essenceOf(mediaType);
  return essence === 'application/json' || essence.endsWith('+json');
}

function isRawBody(body: unknown): body is BodyInit {
  return (
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream)
  );
}

/**
 * Picks the declared media type that fits the body: a text type for a string, a JSON type otherwise;
 * `application/json` when the operation declares none.
 */
function chooseMediaType(body: unknown, declared: readonly string[]): string {
  const text = declared.find((type) => essenceOf(type).startsWith('text/'));
  if (typeof body === 'string' && text) return text;
  const json = declared.find(isJsonMediaType);
  if (json) return json;
  return declared[0] ?? 'application/json';
}

function toFormData(body: Record<string, unknown>): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) {
      if (item instanceof Blob) form.append(name, item);
      else if (typeof item === 'object') form.append(name, JSON.stringify(item));
      else form.append(name, String(item));
    }
  }
  return form;
}

function toUrlEncoded(body: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(body)) {
    if (value === undefined || value === null) continue;
    const items = Array.isArray(value) ? value : [value];
    for (const item of items) search.append(name, String(item));
  }
  return search.toString();
}

/**
 * Encodes a request body for the wire.
 * - FormData: sent as is and any explicit Content-Type is dropped, because only the runtime generates the
 *   multipart boundary.
 * - Blob, ArrayBuffer, typed arrays, streams and URLSearchParams: sent as is.
 * - A string for a `text/*` media type: sent raw (no JSON quotes).
 * - Objects for `multipart/form-data` or `application/x-www-form-urlencoded`: converted to that form.
 * - Anything else: JSON, with the operation's JSON media type (`application/merge-patch+json` for a
 *   merge patch).
 * @param explicitContentType the Content-Type header the caller set, if any.
 */
export function prepareBody(
  body: unknown,
  declared: readonly string[],
  explicitContentType: string | undefined,
): PreparedBody {
  if (body === undefined) return { body: undefined, contentType: explicitContentType ?? null };

  if (body instanceof FormData) return { body, contentType: null };
  if (body instanceof URLSearchParams) return { body, contentType: explicitContentType ?? null };
  if (isRawBody(body)) {
    const blobType = body instanceof Blob && body.type ? body.type : undefined;
    const declaredRaw = declared.find((type) => !isJsonMediaType(type));
    return {
      body,
      contentType: explicitContentType ?? blobType ?? declaredRaw ?? 'application/octet-stream',
    };
  }

  const mediaType = explicitContentType ?? chooseMediaType(body, declared);
  const essence = essenceOf(mediaType);

  if (essence === 'multipart/form-data') {
    if (typeof body !== 'object' || body === null) {
      throw new KatAppRequestError(
        `A multipart/form-data body must be a FormData or an object, got ${typeof body}.`,
      );
    }
    return { body: toFormData(body as Record<string, unknown>), contentType: null };
  }
  if (essence === 'application/x-www-form-urlencoded' && typeof body === 'object' && body !== null) {
    return { body: toUrlEncoded(body as Record<string, unknown>), contentType: mediaType };
  }
  if (essence.startsWith('text/')) {
    if (typeof body !== 'string') {
      throw new KatAppRequestError(`A ${essence} body must be a string, got ${typeof body}.`);
    }
    return { body, contentType: mediaType };
  }
  if (typeof body === 'string' && !isJsonMediaType(essence)) return { body, contentType: mediaType };
  return { body: JSON.stringify(body), contentType: mediaType };
}

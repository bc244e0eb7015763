// Response body decoding by status and Content-Type, so empty and text responses never hit JSON.parse.
import { essenceOf, isJsonMediaType } from './body.js';
import { KatAppResponseError } from './errors.js';

const STATUSES_WITHOUT_BODY = new Set([204, 205, 304]);

/**
 * Reads a successful response body.
 * - 204, 205, 304, HEAD requests, `Content-Length: 0` and a zero-length (chunked) body give `undefined`.
 * - `text/*` gives the text as a string.
 * - JSON media types, and a body without Content-Type, are parsed as JSON.
 * - Any other media type (images, `application/octet-stream`) gives a Blob.
 * @throws KatAppResponseError when a JSON body does not parse.
 */
export async function readResponseBody(response: Response, method: string): Promise<unknown> {
  if (STATUSES_WITHOUT_BODY.has(response.status) || method.toUpperCase() === 'HEAD') return undefined;
  if (response.headers.get('Content-Length') === '0' || response.body === null) return undefined;

  const contentType = response.headers.get('Content-Type');
  const essence = contentType ? essenceOf(contentType) : '';

  if (essence !== '' && !essence.startsWith('text/') && !isJsonMediaType(essence)) {
    const blob = await response.blob();
    return blob.size === 0 ? undefined : blob;
  }

  const text = await response.text();
  if (text === '') return undefined;
  if (essence.startsWith('text/')) return text;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new KatAppResponseError(
      `${response.status} response from ${response.url || 'the server'} declared ${contentType ?? 'no Content-Type'} ` +
        `but its body is not valid JSON (starts with ${JSON.stringify(text.slice(0, 40))}).`,
      response,
      error,
    );
  }
}

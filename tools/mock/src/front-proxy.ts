// A loopback HTTP proxy in front of Prism. It keeps the mock inside the contract where Prism 5.16.0 leaves it:
// - A Content-Type that is not a valid media type gets 415. Prism responds with 500 and logs a stack trace.
// - A JSON body that does not parse gets 400. Prism never responds, so the request hangs.
// - A request that fails validation gets the contract's 400 VALIDATION_FAILED with one entry per violation.
//   Prism sends the example of the operation's 422 (if declared) or 400 response, unrelated to the request.
// - Prism's own errors (no matching route, unsupported media type) become contract problems.
// Every other request and response passes through unchanged.

import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { isJsonMediaType, parseMediaType } from './media-type.js';
import { createProblem, type ProblemInput } from './problem.js';
import { parseViolations, toFieldErrors } from './violations.js';

/** API Gateway's payload limit; the mock rejects larger bodies the same way. */
const DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
const DEFAULT_UPSTREAM_TIMEOUT_MS = 30_000;
/** Type prefix of the problems Prism writes itself (not taken from the contract). */
const PRISM_ERROR_TYPE_PREFIX = 'https://stoplight.io/prism/errors#';
/** Headers that describe one connection and must not be forwarded (RFC 9110 section 7.6.1). */
const HOP_BY_HOP_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'content-length',
  'host',
]);

export interface FrontProxyOptions {
  /** Base URL of the Prism server, e.g. http://127.0.0.1:41234. */
  upstream: URL;
  /** Every parameter name the contract declares, keyed by its lower-case form. */
  parameterNames: ReadonlyMap<string, string>;
  /** Largest accepted request body in bytes. Default: 10 MiB. */
  maxBodyBytes?: number;
  /** Time to wait for Prism's response before the proxy responds with 502. Default: 30 s. */
  upstreamTimeoutMs?: number;
  /** Receives one line per response the proxy wrote or rewrote itself. Default: no logging. */
  log?: (line: string) => void;
}

class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
}

function readBody(request: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        reject(new BodyTooLargeError(`request body exceeds ${maxBytes} bytes`));
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function forwardHeaders(headers: IncomingMessage['headers']): Record<string, string | string[]> {
  const result: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined && !HOP_BY_HOP_HEADERS.has(name)) result[name] = value;
  }
  return result;
}

interface UpstreamResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function sendUpstream(
  options: FrontProxyOptions,
  request: IncomingMessage,
  body: Buffer,
): Promise<UpstreamResponse> {
  return new Promise((resolve, reject) => {
    const headers = forwardHeaders(request.headers);
    if (body.length > 0 || request.headers['content-length'] !== undefined) {
      headers['content-length'] = String(body.length);
    }
    const upstreamRequest = httpRequest(
      new URL(request.url ?? '/', options.upstream),
      { method: request.method, headers, timeout: options.upstreamTimeoutMs ?? DEFAULT_UPSTREAM_TIMEOUT_MS },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 502,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    upstreamRequest.on('timeout', () =>
      upstreamRequest.destroy(new Error('Prism did not respond within the upstream timeout')),
    );
    upstreamRequest.on('error', reject);
    upstreamRequest.end(body);
  });
}

function requestPath(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://mock.invalid').pathname;
}

function sendProblem(
  response: ServerResponse,
  input: ProblemInput,
  extraHeaders: Record<string, string | string[]> = {},
): void {
  const body = JSON.stringify(createProblem(input));
  response.writeHead(input.status, {
    ...extraHeaders,
    'content-type': 'application/problem+json',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

/** Returns the contract problem for one of Prism's own errors, or undefined to pass the response through. */
function translatePrismError(
  prismType: string,
  request: IncomingMessage,
): Omit<ProblemInput, 'instance'> | undefined {
  const name = prismType.slice(PRISM_ERROR_TYPE_PREFIX.length);
  const route = `${request.method} ${requestPath(request)}`;
  switch (name) {
    case 'NO_PATH_MATCHED_ERROR':
    case 'NO_METHOD_MATCHED_ERROR':
      return {
        status: 404,
        code: 'NOT_FOUND',
        title: 'Not found',
        detail: `No operation of the contract matches ${route}.`,
      };
    case 'INVALID_CONTENT_TYPE':
      return {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        title: 'Unsupported media type',
        detail: `${route} does not accept Content-Type "${request.headers['content-type'] ?? ''}"; send a media type the operation declares.`,
      };
    case 'UNAUTHORIZED':
      return {
        status: 401,
        code: 'UNAUTHENTICATED',
        title: 'Authentication required',
        detail: 'Send an access token in the Authorization header as "Bearer <token>".',
      };
    default:
      // NOTE: other Prism errors (for example NOT_ACCEPTABLE, 406) have no problem code in the contract and
      // pass through in Prism's own shape.
      return undefined;
  }
}

function prismErrorType(upstream: UpstreamResponse): string | undefined {
  if (!String(upstream.headers['content-type'] ?? '').includes('json')) return undefined;
  try {
    const body = JSON.parse(upstream.body.toString('utf8')) as { type?: unknown };
    return typeof body.type === 'string' && body.type.startsWith(PRISM_ERROR_TYPE_PREFIX)
      ? body.type
      : undefined;
  } catch {
    return undefined;
  }
}

async function handle(
  options: FrontProxyOptions,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const log = options.log ?? (() => {});
  const instance = requestPath(request);
  const route = `${request.method} ${instance}`;

  let body: Buffer;
  try {
    body = await readBody(request, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES);
  } catch (error) {
    if (!(error instanceof BodyTooLargeError)) throw error;
    log(`${route} -> 413: ${error.message}`);
    response.setHeader('connection', 'close');
    sendProblem(response, {
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      title: 'Payload too large',
      detail: `The request body exceeds ${options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES} bytes. Upload photos through the presigned URL instead.`,
      instance,
    });
    return;
  }

  const contentType = request.headers['content-type'];
  if (contentType !== undefined) {
    const mediaType = parseMediaType(contentType);
    if (mediaType === undefined) {
      log(`${route} -> 415: Content-Type "${contentType}" is not a valid media type`);
      sendProblem(response, {
        status: 415,
        code: 'UNSUPPORTED_MEDIA_TYPE',
        title: 'Unsupported media type',
        detail: `Content-Type "${contentType}" is not a valid media type; send "type/subtype", for example application/json.`,
        instance,
      });
      return;
    }
    if (isJsonMediaType(mediaType) && body.length > 0) {
      try {
        JSON.parse(body.toString('utf8'));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        log(`${route} -> 400: body is not valid JSON (${reason})`);
        sendProblem(response, {
          status: 400,
          code: 'VALIDATION_FAILED',
          title: 'Request validation failed',
          detail: `The request body is not valid JSON: ${reason}.`,
          instance,
          errors: [{ pointer: '', message: `is not valid JSON: ${reason}` }],
        });
        return;
      }
    }
  }

  let upstream: UpstreamResponse;
  try {
    upstream = await sendUpstream(options, request, body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    log(`${route} -> 502: Prism failed: ${reason}`);
    sendProblem(response, {
      status: 502,
      code: 'INTERNAL',
      title: 'Internal server error',
      detail: 'The mock server behind the proxy failed; see the mock log.',
      instance,
    });
    return;
  }

  const violationsHeader = upstream.headers['sl-violations'];
  const violations = parseViolations(typeof violationsHeader === 'string' ? violationsHeader : undefined);
  const fieldErrors = toFieldErrors(violations, options.parameterNames);
  const passedHeaders = forwardHeaders(upstream.headers);

  if ((upstream.status === 400 || upstream.status === 422) && fieldErrors.length > 0) {
    log(
      `${route} -> 400 (Prism sent ${upstream.status}): ${fieldErrors.map((error) => `${error.pointer || '/'} ${error.message}`).join('; ')}`,
    );
    delete passedHeaders['content-type'];
    sendProblem(
      response,
      {
        status: 400,
        code: 'VALIDATION_FAILED',
        title: 'Request validation failed',
        detail: `The request has ${fieldErrors.length} invalid value(s); see errors.`,
        instance,
        errors: fieldErrors,
      },
      passedHeaders,
    );
    return;
  }

  const prismType = prismErrorType(upstream);
  const translated = prismType === undefined ? undefined : translatePrismError(prismType, request);
  if (translated !== undefined) {
    log(`${route} -> ${translated.status} ${translated.code} (Prism sent ${prismType})`);
    delete passedHeaders['content-type'];
    sendProblem(response, { ...translated, instance }, passedHeaders);
    return;
  }

  response.writeHead(upstream.status, { ...passedHeaders, 'content-length': upstream.body.length });
  response.end(upstream.body);
}

/** Creates the proxy server; the caller listens on a loopback address. */
export function createFrontProxy(options: FrontProxyOptions): Server {
  return createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      options.log?.(
        `${request.method} ${request.url} -> 500: ${error instanceof Error ? error.stack : String(error)}`,
      );
      if (!response.headersSent) {
        sendProblem(response, {
          status: 500,
          code: 'INTERNAL',
          title: 'Internal server error',
          detail: 'The mock proxy failed; see the mock log.',
          instance: requestPath(request),
        });
      } else {
        response.destroy();
      }
    });
  });
}

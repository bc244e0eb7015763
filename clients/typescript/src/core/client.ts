// A thin layer over openapi-fetch that serializes each parameter and body as its operation declares,
// decodes responses by Content-Type, adds the bearer token and refreshes it once on a 401.
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { type AuthOptions, AuthSession } from './auth.js';
import { prepareBody } from './body.js';
import { KatAppError, KatAppNetworkError, KatAppProblemError, toProblem } from './errors.js';
import { expandPath, serializeHeaders, serializeQuery } from './params.js';
import { readResponseBody } from './response.js';
import type { ContractMethods, HttpMethodUpper, OperationDescriptor } from './types.js';

export interface ContractClientOptions {
  /** The API's base URL including the stage path, such as `https://api.example.org/prod`. */
  baseUrl: string;
  /** Serialization and security of each operation; requests to paths not listed use OpenAPI's defaults. */
  operations: readonly OperationDescriptor[];
  /** Defaults to the global `fetch`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  auth?: AuthOptions;
}

export interface ContractClient<Paths extends {}> extends ContractMethods<Paths> {
  readonly auth: AuthSession;
  /** Adds openapi-fetch middleware (runs on every request, including the retry after a refresh). */
  use(...middleware: Middleware[]): void;
  eject(...middleware: Middleware[]): void;
}

interface RequestInitLike {
  params?: {
    path?: Record<string, unknown>;
    query?: Record<string, unknown>;
    header?: Record<string, unknown>;
  };
  headers?: HeadersInit | Record<string, string | undefined>;
  body?: unknown;
  parseAs?: 'json' | 'text' | 'blob' | 'arrayBuffer' | 'stream';
  [option: string]: unknown;
}

function toHeaderRecord(headers: RequestInitLike['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  const entries =
    headers instanceof Headers || Array.isArray(headers)
      ? [...new Headers(headers as HeadersInit)]
      : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value !== undefined) record[name.toLowerCase()] = value;
  }
  return record;
}

/** Creates a client for any OpenAPI `paths` type; `createKatAppClient` is this with the KatApp contract. */
export function createContractClient<Paths extends {}>(
  options: ContractClientOptions,
): ContractClient<Paths> {
  const operations = new Map(
    options.operations.map((operation) => [`${operation.method} ${operation.path}`, operation]),
  );
  const auth = new AuthSession(options.auth);
  const userFetch = options.fetch;
  const base: Client<Record<string, never>> = createClient({
    baseUrl: options.baseUrl,
    fetch: userFetch ? (request) => userFetch(request) : (request) => globalThis.fetch(request),
  });
  const defaultHeaders = toHeaderRecord(options.headers);

  async function send(
    method: HttpMethodUpper,
    path: string,
    init: RequestInitLike,
    accessToken: string | undefined,
  ) {
    const operation = operations.get(`${method} ${path}`);
    const declared = operation?.parameters ?? [];
    const { params = {}, headers, body, parseAs, ...rest } = init;

    // Validates the path before anything is sent; openapi-fetch would leave `{id}` in the URL.
    const expandedPath = expandPath(path, params.path, declared);
    const headerRecord: Record<string, string | null> = {
      ...defaultHeaders,
      ...toHeaderRecord(serializeHeaders(params.header, declared)),
      ...toHeaderRecord(headers),
    };
    const prepared = prepareBody(
      body,
      operation?.requestContentTypes ?? [],
      headerRecord['content-type'] ?? undefined,
    );
    headerRecord['content-type'] = prepared.contentType;
    if (accessToken !== undefined) headerRecord.authorization = `Bearer ${accessToken}`;

    const fetchInit = {
      ...rest,
      params: { path: params.path, query: params.query },
      headers: headerRecord,
      body: prepared.body,
      bodySerializer: (ready: unknown) => ready,
      querySerializer: (query: Record<string, unknown>) => serializeQuery(query, declared),
      pathSerializer: (url: string) => url.slice(0, url.length - path.length) + expandedPath,
      // 'stream' hands back the unread response, so readResponseBody can decide by Content-Type.
      parseAs: parseAs ?? 'stream',
    };
    try {
      // biome-ignore lint/suspicious/noExplicitAny: the typed surface is ContractMethods; this is its implementation.
      return await base.request(method.toLowerCase() as any, path as never, fetchInit as any);
    } catch (error) {
      if (error instanceof KatAppError) throw error;
      throw new KatAppNetworkError(method, `${options.baseUrl}${expandedPath}`, error);
    }
  }

  async function call(method: HttpMethodUpper, path: string, init: RequestInitLike = {}) {
    const operation = operations.get(`${method} ${path}`);
    const callerSetAuthorization = 'authorization' in toHeaderRecord(init.headers);
    const useToken = !operation?.public && !callerSetAuthorization;

    const tokens = useToken ? await auth.tokens() : undefined;
    let result = await send(method, path, init, tokens?.accessToken);

    // A 401 (TOKEN_EXPIRED or any other code) is retried once with refreshed tokens. Without a stored
    // refresh token there is nothing to retry with, so the 401 is thrown.
    if (result.response.status === 401 && tokens && useToken && (await auth.canRefresh())) {
      let refreshed: Awaited<ReturnType<typeof auth.refresh>>;
      try {
        refreshed = await auth.refresh(tokens.accessToken);
      } catch (refreshError) {
        const problem = toProblem(result.error, result.response);
        throw new KatAppProblemError(problem, { response: result.response, cause: refreshError });
      }
      result = await send(method, path, init, refreshed.accessToken);
    }

    if (!result.response.ok) {
      throw new KatAppProblemError(toProblem(result.error, result.response), { response: result.response });
    }
    const data = init.parseAs ? result.data : await readResponseBody(result.response, method);
    return { data, response: result.response };
  }

  const method =
    (name: HttpMethodUpper) =>
    (path: string, ...init: [RequestInitLike?]) =>
      call(name, path, init[0]);

  const client = {
    auth,
    GET: method('GET'),
    PUT: method('PUT'),
    POST: method('POST'),
    DELETE: method('DELETE'),
    PATCH: method('PATCH'),
    HEAD: method('HEAD'),
    OPTIONS: method('OPTIONS'),
    use: (...middleware: Middleware[]) => base.use(...middleware),
    eject: (...middleware: Middleware[]) => base.eject(...middleware),
  };
  return client as unknown as ContractClient<Paths>;
}

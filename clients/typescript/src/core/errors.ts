// Error classes of the SDK: a base class and one class per failure, each with `name` and `cause`.

/** One entry of a problem's `errors[]` list: which input was invalid and why. */
export interface ProblemFieldError {
  /** JSON pointer into the request (`/body/capturedAt`, `/query/limit`). */
  pointer?: string;
  message: string;
  [extension: string]: unknown;
}

/** An RFC 9457 problem details object as the KatApp API sends it (`application/problem+json`). */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  /** Stable machine-readable code such as `TOKEN_EXPIRED` or `IDEMPOTENCY_CONFLICT`. */
  code?: string;
  /** Request id to quote when reporting a server error. */
  requestId?: string;
  errors?: ProblemFieldError[];
  [extension: string]: unknown;
}

/** Base class of every error the SDK throws. */
export class KatAppError extends Error {
  override name = 'KatAppError';
}

/** The API returned a non-2xx status; `problem` carries the RFC 9457 body. */
export class KatAppProblemError extends KatAppError {
  override name = 'KatAppProblemError';
  readonly problem: ProblemDetails;
  readonly status: number;
  readonly code: string | undefined;
  readonly requestId: string | undefined;
  /** The response the problem came from (its body is already read). */
  readonly response: Response | undefined;

  constructor(problem: ProblemDetails, options: { response?: Response; cause?: unknown } = {}) {
    super(formatProblemMessage(problem), { cause: options.cause });
    this.problem = problem;
    this.status = problem.status;
    this.code = problem.code;
    this.requestId = problem.requestId;
    this.response = options.response;
  }
}

/** The request never produced a response: DNS, connection refused, reset, abort or timeout. */
export class KatAppNetworkError extends KatAppError {
  override name = 'KatAppNetworkError';
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url} failed before a response arrived: ${describeCause(cause)}`, { cause });
    this.method = method;
    this.url = url;
  }
}

/** A request could not be built from the given arguments (missing or unusable parameter). */
export class KatAppRequestError extends KatAppError {
  override name = 'KatAppRequestError';
}

/** A 2xx response body did not match its declared content type (for example invalid JSON). */
export class KatAppResponseError extends KatAppError {
  override name = 'KatAppResponseError';
  readonly response: Response;

  constructor(message: string, response: Response, cause?: unknown) {
    super(message, { cause });
    this.response = response;
  }
}

function formatProblemMessage(problem: ProblemDetails): string {
  const code = problem.code ? ` (${problem.code})` : '';
  const detail = problem.detail ? `: ${problem.detail}` : '';
  const requestId = problem.requestId ? ` [request ${problem.requestId}]` : '';
  const fields = (problem.errors ?? [])
    .slice(0, 3)
    .map((error) => `${error.pointer ?? ''} ${error.message}`.trim());
  const more = (problem.errors?.length ?? 0) > 3 ? `; and ${(problem.errors?.length ?? 0) - 3} more` : '';
  const errors = fields.length > 0 ? ` (${fields.join('; ')}${more})` : '';
  return `${problem.status} ${problem.title}${code}${detail}${errors}${requestId}`;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? ` (${cause.cause.message})` : '';
    return `${cause.message}${inner}`;
  }
  return String(cause);
}

/** Tells whether a parsed JSON body has the required RFC 9457 members. */
export function isProblemDetails(value: unknown): value is ProblemDetails {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.title === 'string';
}

/**
 * Builds the problem for a non-2xx response. A body that is not a problem (a proxy's HTML page, an empty
 * 502) becomes an `about:blank` problem with the status text as title and the first 500 characters as detail.
 */
export function toProblem(body: unknown, response: Response): ProblemDetails {
  const headerRequestId =
    response.headers.get('x-request-id') ?? response.headers.get('x-amzn-requestid') ?? undefined;
  if (isProblemDetails(body)) {
    const problem: ProblemDetails = {
      ...body,
      type: typeof body.type === 'string' ? body.type : 'about:blank',
    };
    if (problem.requestId === undefined && headerRequestId) problem.requestId = headerRequestId;
    return problem;
  }
  const problem: ProblemDetails = {
    type: 'about:blank',
    title: response.statusText || `HTTP ${response.status}`,
    status: response.status,
  };
  if (typeof body === 'string' && body.length > 0) problem.detail = body.slice(0, 500);
  if (headerRequestId) problem.requestId = headerRequestId;
  return problem;
}

/**
 * Error classes of the handlers and their single mapping to RFC 9457 problem details
 * (`application/problem+json`). Each class carries an HTTP status and a stable machine `code`.
 */

export type ProblemCode =
  | 'VALIDATION_FAILED'
  | 'UNAUTHENTICATED'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_PENDING'
  | 'ACCOUNT_LOCKED'
  | 'RATE_LIMITED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'IDEMPOTENCY_CONFLICT'
  | 'AGE_GROUP_FIXED'
  | 'DISASTER_CLOSED'
  | 'CAPTURE_TIME_IMPLAUSIBLE'
  | 'DEVICE_REVOKED'
  | 'DISASTER_NOT_PURGEABLE'
  | 'CARD_CODE_TAKEN'
  | 'EMAIL_TAKEN'
  | 'IMEI_TAKEN'
  | 'NAME_TAKEN'
  | 'TRIAGE_NOT_PENDING'
  | 'PHOTO_NOT_DECLARED'
  | 'SUPERSEDES_INVALID'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL';

/**
 * One invalid value and what is wrong with it. The pointer is an RFC 6901 JSON pointer into the body
 * (`/category`), or `/query/<name>`, `/path/<name>`, `/header/<name>` for parameters.
 */
export interface ProblemFieldError {
  readonly pointer: string;
  readonly message: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  code: ProblemCode;
  requestId: string;
  errors?: ProblemFieldError[];
}

interface KatAppErrorOptions {
  cause?: unknown;
}

/** Base class: `message` becomes the problem's `detail`, so it must be safe to show the caller. */
export abstract class KatAppError extends Error {
  abstract readonly status: number;
  abstract readonly code: ProblemCode;
  abstract readonly title: string;
  /** Extra response headers, for example Retry-After. */
  readonly headers: Record<string, string> = {};

  constructor(message: string, options: KatAppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
  }
}

export class RequestValidationError extends KatAppError {
  readonly status = 400;
  readonly code = 'VALIDATION_FAILED';
  readonly title = 'Request validation failed';
  readonly errors: ProblemFieldError[];

  constructor(message: string, errors: ProblemFieldError[] = [], options: KatAppErrorOptions = {}) {
    super(message, options);
    this.errors = errors;
  }
}

export class RequestUnsupportedMediaTypeError extends KatAppError {
  readonly status = 415;
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
  readonly title = 'Unsupported media type';
}

export class RequestPayloadTooLargeError extends KatAppError {
  readonly status = 413;
  readonly code = 'PAYLOAD_TOO_LARGE';
  readonly title = 'Payload too large';
}

export class AuthUnauthenticatedError extends KatAppError {
  readonly status = 401;
  readonly code = 'UNAUTHENTICATED';
  readonly title = 'Authentication required';
}

export class AuthTokenExpiredError extends KatAppError {
  readonly status = 401;
  readonly code = 'TOKEN_EXPIRED';
  readonly title = 'Token expired';
}

export class AuthInvalidCredentialsError extends KatAppError {
  readonly status = 401;
  readonly code = 'INVALID_CREDENTIALS';
  readonly title = 'Invalid credentials';
}

export class AuthAccountPendingError extends KatAppError {
  readonly status = 403;
  readonly code = 'ACCOUNT_PENDING';
  readonly title = 'Account pending activation';
}

/** Too many failed logins: the account is locked until `retryAfterSeconds` have passed. */
export class AuthAccountLockedError extends KatAppError {
  readonly status = 403;
  readonly code = 'ACCOUNT_LOCKED';
  readonly title = 'Account locked';

  constructor(message: string, retryAfterSeconds: number, options: KatAppErrorOptions = {}) {
    super(message, options);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export class AuthRateLimitedError extends KatAppError {
  readonly status = 429;
  readonly code = 'RATE_LIMITED';
  readonly title = 'Too many requests';

  constructor(message: string, retryAfterSeconds: number, options: KatAppErrorOptions = {}) {
    super(message, options);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export class AuthForbiddenError extends KatAppError {
  readonly status = 403;
  readonly code = 'FORBIDDEN';
  readonly title = 'Forbidden';
}

export class DeviceRevokedError extends KatAppError {
  readonly status = 403;
  readonly code = 'DEVICE_REVOKED';
  readonly title = 'Device revoked';
}

export class ResourceNotFoundError extends KatAppError {
  readonly status = 404;
  readonly code = 'NOT_FOUND';
  readonly title = 'Not found';
}

export class ResourceConflictError extends KatAppError {
  readonly status = 409;
  readonly code = 'CONFLICT';
  readonly title = 'Conflict';
}

export class UserEmailTakenError extends KatAppError {
  readonly status = 409;
  readonly code = 'EMAIL_TAKEN';
  readonly title = 'E-mail address already registered';
}

export class DeviceImeiTakenError extends KatAppError {
  readonly status = 409;
  readonly code = 'IMEI_TAKEN';
  readonly title = 'IMEI already registered';
}

/** A tenant or role name that already exists. */
export class ResourceNameTakenError extends KatAppError {
  readonly status = 409;
  readonly code = 'NAME_TAKEN';
  readonly title = 'Name already taken';
}

export class DisasterNotPurgeableError extends KatAppError {
  readonly status = 409;
  readonly code = 'DISASTER_NOT_PURGEABLE';
  readonly title = 'Disaster cannot be purged';
}

export class TriageNotPendingError extends KatAppError {
  readonly status = 409;
  readonly code = 'TRIAGE_NOT_PENDING';
  readonly title = 'Triage is not pending confirmation';
}

export class PhotoNotDeclaredError extends KatAppError {
  readonly status = 409;
  readonly code = 'PHOTO_NOT_DECLARED';
  readonly title = 'Photo not declared by the triage';
}

export class TriageSupersedesInvalidError extends KatAppError {
  readonly status = 422;
  readonly code = 'SUPERSEDES_INVALID';
  readonly title = 'Superseded triage invalid';
}

export class TriageIdempotencyConflictError extends KatAppError {
  readonly status = 409;
  readonly code = 'IDEMPOTENCY_CONFLICT';
  readonly title = 'Idempotency conflict';
}

export class PatientAgeGroupFixedError extends KatAppError {
  readonly status = 409;
  readonly code = 'AGE_GROUP_FIXED';
  readonly title = 'Age group is fixed';
}

export class PatientCardCodeTakenError extends KatAppError {
  readonly status = 409;
  readonly code = 'CARD_CODE_TAKEN';
  readonly title = 'Card code already in use';
}

export class DisasterClosedError extends KatAppError {
  readonly status = 409;
  readonly code = 'DISASTER_CLOSED';
  readonly title = 'Disaster closed';
}

export class TriageCaptureTimeImplausibleError extends KatAppError {
  readonly status = 422;
  readonly code = 'CAPTURE_TIME_IMPLAUSIBLE';
  readonly title = 'Capture time implausible';
}

/** A failure of the server itself; its message goes to the log, never to the caller. */
export class InternalError extends KatAppError {
  readonly status = 500;
  readonly code = 'INTERNAL';
  readonly title = 'Internal error';
}

/** Returns the problem `type` URI reference for a code, e.g. `/problems/not-found`. */
export function problemType(code: ProblemCode): string {
  return `/problems/${code.toLowerCase().replaceAll('_', '-')}`;
}

/**
 * Maps any thrown value to a problem body. A KatAppError below 500 keeps its message as `detail`; anything
 * else becomes a generic 500 that names only the request id.
 */
export function toProblem(error: unknown, requestId: string, instance?: string): Problem {
  if (error instanceof KatAppError && error.status < 500) {
    const problem: Problem = {
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      detail: error.message,
      code: error.code,
      requestId,
    };
    if (instance !== undefined) {
      problem.instance = instance;
    }
    if (error instanceof RequestValidationError && error.errors.length > 0) {
      problem.errors = error.errors;
    }
    return problem;
  }
  const problem: Problem = {
    type: problemType('INTERNAL'),
    title: 'Internal error',
    status: 500,
    detail: `internal error; quote request id ${requestId} when reporting it`,
    code: 'INTERNAL',
    requestId,
  };
  if (instance !== undefined) {
    problem.instance = instance;
  }
  return problem;
}

/** Returns the response headers an error sets (empty for anything but a KatAppError). */
export function problemHeaders(error: unknown): Record<string, string> {
  return error instanceof KatAppError ? { ...error.headers } : {};
}

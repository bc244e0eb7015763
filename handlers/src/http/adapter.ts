/**
 * The only code that handles the API Gateway REST proxy event. It finds the operation in the function's generated
 * route table, builds the RequestContext from the authorizer context, validates parameters and body with the
 * function's generated request validators, calls the typed implementation, and serialises its result or error.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context as LambdaContext } from 'aws-lambda';
import type {
  FunctionName,
  FunctionOperations,
  OperationHandlers,
  OperationId,
  RouteDefinition,
} from '../../../generated/operations/index.js';
import { collectRouteParameters } from '../../../generated/operations/parameters.js';
import { fromAuthorizerContext } from '../auth/authorizer-context.js';
import { withDeviceState } from '../auth/device-state.js';
import { type Clock, type RequestContext, systemClock } from '../context.js';
import { takeCapacityUsage } from '../data/capacity.js';
import {
  AuthForbiddenError,
  AuthTokenExpiredError,
  AuthUnauthenticatedError,
  KatAppError,
  type ProblemFieldError,
  problemHeaders,
  RequestPayloadTooLargeError,
  RequestUnsupportedMediaTypeError,
  RequestValidationError,
  ResourceNotFoundError,
  toProblem,
} from '../errors.js';
import { logger, MetricUnit, metrics } from '../observability/index.js';
import {
  escapePointerSegment,
  type FunctionRequestValidators,
  type RequestLocation,
  type RequestValidators,
  toFieldErrors,
  uniqueFieldErrors,
  type Validator,
} from './validation.js';

/** A route of function `F`, as listed in generated/operations/functions/<function>.ts. */
export type FunctionRoute<F extends FunctionName> = RouteDefinition & {
  readonly operationId: FunctionOperations[F];
};

type Route = FunctionRoute<FunctionName>;

/** The function's part of the contract that the adapter reads. Both halves are generated per function. */
export interface FunctionContract<F extends FunctionName> {
  /** `routes` of generated/operations/functions/<function>.ts. */
  routes: readonly FunctionRoute<F>[];
  /** `operations` of generated/validators/functions/<function>.js. */
  validators: FunctionRequestValidators<F>;
}

/** The result of an implementation: a declared status, its body and optional headers. */
interface ImplementationResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type AnyImplementation = (request: unknown, context: RequestContext) => Promise<ImplementationResult>;

export interface RestHandlerOptions {
  /** Time source for the request context; defaults to the system clock. Tests pass a fixed clock. */
  clock?: Clock;
}

export type RestHandler = (
  event: APIGatewayProxyEvent,
  lambdaContext?: Partial<LambdaContext>,
) => Promise<APIGatewayProxyResult>;

/**
 * Headers on every response. Bearer tokens, not cookies, authenticate callers, so any origin may read.
 * NOTE: the contract describes the stage's dashboard origin in Access-Control-Allow-Origin; no environment
 * variable names that origin yet, so the handlers send `*`.
 */
const commonHeaders: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Cache-Control': 'no-store',
  'X-Content-Type-Options': 'nosniff',
};

function headerValue(headers: APIGatewayProxyEvent['headers'] | null, name: string): string | undefined {
  if (headers === null || headers === undefined) {
    return undefined;
  }
  const expectedName = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === expectedName && value !== undefined) {
      return value;
    }
  }
  return undefined;
}

function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function validate(
  validator: Validator | undefined,
  location: RequestLocation,
  value: unknown,
): ProblemFieldError[] {
  if (validator === undefined || validator(value)) {
    return location === 'body' ? [] : nonFiniteNumbers(location, value);
  }
  return toFieldErrors(location, validator.errors ?? []);
}

/**
 * Finds parameter values that the validators coerced to Infinity or -Infinity. Ajv turns the string "Infinity"
 * into a number and skips minimum and maximum for non-finite numbers, so such a value would otherwise reach
 * DynamoDB as a page size.
 */
function nonFiniteNumbers(location: RequestLocation, parameters: unknown): ProblemFieldError[] {
  if (parameters === null || typeof parameters !== 'object') return [];
  const errors: ProblemFieldError[] = [];
  for (const [name, value] of Object.entries(parameters)) {
    const values = Array.isArray(value) ? value : [value];
    if (values.some((item) => typeof item === 'number' && !Number.isFinite(item))) {
      errors.push({
        pointer: `/${location}/${escapePointerSegment(name)}`,
        message: 'must be a finite number',
      });
    }
  }
  return errors;
}

/** Largest JSON request body the handlers accept; photos go to S3 directly and never pass through here. */
export const maxJsonBodyBytes = 256 * 1024;

function parseBody(route: Route, event: APIGatewayProxyEvent): unknown {
  const raw =
    event.body === null || event.body === undefined
      ? undefined
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  const declared = route.requestBody;
  if (declared === null) {
    return undefined;
  }
  if (raw === undefined || raw === '') {
    if (declared.required) {
      throw new RequestValidationError('The request body is missing; send a JSON body.', [
        { pointer: '', message: 'request body is required' },
      ]);
    }
    return undefined;
  }
  const size = Buffer.byteLength(raw, 'utf8');
  if (size > maxJsonBodyBytes) {
    throw new RequestPayloadTooLargeError(
      `The request body has ${size} bytes; JSON bodies may have at most ${maxJsonBodyBytes} bytes (256 KiB).`,
    );
  }
  const received = mediaType(headerValue(event.headers, 'content-type'));
  if (received !== declared.contentType) {
    throw new RequestUnsupportedMediaTypeError(
      `Content-Type ${received === undefined ? '(none)' : JSON.stringify(received)} is not supported; send ${declared.contentType}.`,
    );
  }
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new RequestValidationError(
      'The request body is not valid JSON.',
      [{ pointer: '', message: 'must be valid JSON' }],
      { cause: error },
    );
  }
}

/** Collects and validates the request; returns the typed request object the implementation receives. */
function buildRequest(
  route: Route,
  validators: RequestValidators,
  event: APIGatewayProxyEvent,
): Record<string, unknown> {
  const parameters = collectRouteParameters(route, {
    pathParameters: event.pathParameters ?? null,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters ?? null,
    headers: event.headers ?? null,
  });
  const errors: ProblemFieldError[] = [
    ...validate(validators.path, 'path', parameters.path),
    ...validate(validators.query, 'query', parameters.query),
    ...validate(validators.header, 'header', parameters.header),
  ];

  let body: unknown;
  try {
    body = parseBody(route, event);
  } catch (error) {
    if (error instanceof RequestValidationError && errors.length > 0) {
      throw new RequestValidationError(error.message, uniqueFieldErrors([...errors, ...error.errors]));
    }
    throw error;
  }
  if (body !== undefined) {
    errors.push(...validate(validators.body, 'body', body));
  }

  if (errors.length > 0) {
    const unique = uniqueFieldErrors(errors);
    const first = unique[0];
    const summary = first === undefined ? 'invalid' : `${first.pointer} ${first.message}`;
    const more = unique.length > 1 ? ` (and ${unique.length - 1} more)` : '';
    throw new RequestValidationError(`The request is invalid: ${summary}${more}.`, unique);
  }
  return { path: parameters.path, query: parameters.query, header: parameters.header, body };
}

function authorize(route: Route, context: RequestContext): void {
  if (!route.authenticated) {
    return;
  }
  if (context.principal === null) {
    throw new AuthUnauthenticatedError('This operation needs a bearer access token.');
  }
  const missing = route.rights.filter((right) => !context.principal?.rights.has(right));
  if (missing.length > 0) {
    throw new AuthForbiddenError(
      `The caller lacks the right ${missing.join(', ')} for ${route.operationId}.`,
    );
  }
}

function serialise(result: ImplementationResult): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...commonHeaders, ...result.headers };
  if (result.status === 204 || result.status === 304 || result.body === undefined) {
    return { statusCode: result.status, headers, body: '' };
  }
  if (!Object.keys(headers).some((key) => key.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = result.status >= 400 ? 'application/problem+json' : 'application/json';
  }
  return { statusCode: result.status, headers, body: JSON.stringify(result.body) };
}

function problemResult(error: unknown, requestId: string, path: string): APIGatewayProxyResult {
  const problem = toProblem(error, requestId, path);
  return serialise({
    status: problem.status,
    body: problem,
    headers: { 'Content-Type': 'application/problem+json', ...problemHeaders(error) },
  });
}

/**
 * Creates the Lambda handler for one function group. `contract` contains the function's own routes and request
 * validators, both generated per function, so the bundle leaves out every other operation's routes and validators.
 * Every route must belong to `functionName` and have an implementation and validators. A missing one fails at cold
 * start, not at the first call.
 */
export function createRestHandler<F extends FunctionName>(
  functionName: F,
  implementations: Pick<OperationHandlers<RequestContext>, FunctionOperations[F]>,
  contract: FunctionContract<F>,
  options: RestHandlerOptions = {},
): RestHandler {
  const clock = options.clock ?? systemClock;
  const table = implementations as unknown as Record<string, AnyImplementation>;
  const validatorTable = contract.validators as Readonly<Record<string, RequestValidators | undefined>>;
  const ownRoutes: readonly Route[] = contract.routes;
  const foreign = ownRoutes.filter((route) => route.function !== functionName);
  if (foreign.length > 0) {
    throw new Error(
      `Function ${functionName} got routes of other functions: ${foreign.map((route) => `${route.operationId} (${route.function})`).join(', ')}. Pass the routes of generated/operations/functions/${functionName}.ts.`,
    );
  }
  const missing = ownRoutes.filter((route) => typeof table[route.operationId] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `Function ${functionName} has no implementation for ${missing.map((route) => route.operationId).join(', ')}.`,
    );
  }
  const routed = new Set<string>(ownRoutes.map((route) => route.operationId));
  const unrouted = Object.keys(validatorTable).filter((operationId) => !routed.has(operationId));
  if (unrouted.length > 0) {
    throw new Error(
      `Function ${functionName} has validators but no route for ${unrouted.join(', ')}. Pass the routes of generated/operations/functions/${functionName}.ts, and run \`make generate\` if they are out of date.`,
    );
  }
  const unvalidated = ownRoutes.filter((route) => validatorTable[route.operationId] === undefined);
  if (unvalidated.length > 0) {
    throw new Error(
      `Function ${functionName} has no request validators for ${unvalidated.map((route) => route.operationId).join(', ')}. Pass the operations of generated/validators/functions/${functionName}.js, and run \`make generate\` if that module lacks them.`,
    );
  }

  return async (event, lambdaContext) => {
    const started = performance.now();
    // Capacity used outside a request (start-up reads) does not belong to this one.
    takeCapacityUsage();
    const requestId = event.requestContext?.requestId ?? lambdaContext?.awsRequestId ?? 'unknown';
    const route = ownRoutes.find(
      (candidate) =>
        candidate.path === event.resource && candidate.method === event.httpMethod?.toLowerCase(),
    );
    const authorized = fromAuthorizerContext(event.requestContext?.authorizer);
    const operationId: OperationId | undefined = route?.operationId;
    logger.appendKeys({ requestId, tenantId: authorized?.tenantId, operationId });

    let result: APIGatewayProxyResult;
    try {
      if (route === undefined) {
        throw new ResourceNotFoundError(
          `No operation ${event.httpMethod} ${event.resource} in function ${functionName}; check the path and method.`,
        );
      }
      // API Gateway may serve a cached authorizer result for up to 300 s, also after the token expired.
      if (authorized?.expiresAt !== undefined && clock.now().getTime() >= authorized.expiresAt.getTime()) {
        throw new AuthTokenExpiredError('The access token expired; refresh it or log in again.');
      }
      const principal =
        authorized === null ? null : await withDeviceState(authorized.tenantId, authorized.principal);
      if (authorized !== null && principal === undefined) {
        throw new AuthUnauthenticatedError('The device of this access token no longer exists.');
      }
      const context: RequestContext = {
        requestId,
        operationId: route.operationId,
        tenantId: authorized?.tenantId ?? null,
        principal: principal ?? null,
        sourceIp: event.requestContext?.identity?.sourceIp ?? null,
        logger,
        clock,
      };
      authorize(route, context);
      const request = buildRequest(route, validatorTable[route.operationId] ?? {}, event);
      const implementation = table[route.operationId] as AnyImplementation;
      result = serialise(await implementation(request, context));
    } catch (error) {
      if (!(error instanceof KatAppError) || error.status >= 500) {
        logger.error('operation failed', { error: error as Error });
        metrics.addMetric('ServerErrors', MetricUnit.Count, 1);
      }
      result = problemResult(error, requestId, event.path ?? event.resource);
    }

    const durationMs = Math.round(performance.now() - started);
    const capacity = takeCapacityUsage();
    logger.info('request completed', {
      method: event.httpMethod,
      resource: event.resource,
      status: result.statusCode,
      durationMs,
      dynamodb: capacity,
    });
    metrics.addMetric('Latency', MetricUnit.Milliseconds, durationMs);
    metrics.addMetric('ConsumedReadUnits', MetricUnit.Count, capacity.readUnits);
    metrics.addMetric('ConsumedWriteUnits', MetricUnit.Count, capacity.writeUnits);
    metrics.publishStoredMetrics();
    logger.resetKeys();
    return result;
  };
}

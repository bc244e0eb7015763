/**
 * Calls operations the way API Gateway REST does: builds the v1 proxy event from the route table, runs the
 * REQUEST authorizer for authenticated routes and evaluates its policy against the method ARN, then invokes the
 * function module's handler with the authorizer context. Function modules are found by the route's function
 * name under src/functions, so new operations need no change here.
 */
import { randomUUID } from 'node:crypto';
import type {
  APIGatewayAuthorizerResult,
  APIGatewayProxyEvent,
  APIGatewayProxyResult,
  APIGatewayRequestAuthorizerEvent,
} from 'aws-lambda';
import { type OperationId, routes } from '../../../generated/operations/index.js';
import { operations as operationValidators } from '../../../generated/validators/index.js';
import type { Clock } from '../../src/context.js';
import { createAuthorizer } from '../../src/functions/authorizer.js';
import { createRestHandler, type RestHandler } from '../../src/http/adapter.js';

type Route = (typeof routes)[number];

export const testRegion = 'eu-central-1';
export const testAccount = '123456789012';
export const testApiId = 'testapi01';
export const testStage = 'test';

export interface CallOptions {
  /** Path parameters by name, unencoded. */
  path?: Record<string, string>;
  /** Query parameters; an array becomes repeated keys. */
  query?: Record<string, string | string[]>;
  headers?: Record<string, string>;
  /** JSON body; serialised with the route's content type unless `rawBody` is given. */
  body?: unknown;
  rawBody?: string;
  /** Bearer access token. */
  token?: string;
}

export interface CallResult {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON body, or undefined for an empty body. */
  body: unknown;
  rawBody: string;
  /** Which component answered: the gateway's authorizer step or the function. */
  answeredBy: 'authorizer' | 'function';
  /** The authorizer's result, for authenticated routes that got that far. */
  policy?: APIGatewayAuthorizerResult;
}

export function routeOf(operationId: OperationId): Route {
  const route = routes.find((candidate) => candidate.operationId === operationId);
  if (route === undefined) {
    throw new Error(`No route for operation ${operationId}.`);
  }
  return route;
}

/** Returns the execute-api method ARN of a concrete request path. */
export function methodArnFor(method: string, concretePath: string): string {
  return `arn:aws:execute-api:${testRegion}:${testAccount}:${testApiId}/${testStage}/${method.toUpperCase()}${concretePath}`;
}

/** Evaluates an IAM policy of an authorizer for one method ARN: an explicit Deny wins, else any Allow. */
export function policyAllows(policy: APIGatewayAuthorizerResult, methodArn: string): boolean {
  const matches = (pattern: string) =>
    new RegExp(
      `^${pattern
        .split('*')
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    ).test(methodArn);
  let allowed = false;
  for (const statement of policy.policyDocument.Statement) {
    const resources = 'Resource' in statement ? statement.Resource : undefined;
    const list = resources === undefined ? [] : Array.isArray(resources) ? resources : [resources];
    if (!list.some((resource) => matches(resource))) {
      continue;
    }
    if (statement.Effect === 'Deny') {
      return false;
    }
    allowed = true;
  }
  return allowed;
}

function gatewayProblem(
  status: number,
  code: string,
  title: string,
  detail: string,
  path: string,
): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: { 'Content-Type': 'application/problem+json' },
    body: JSON.stringify({
      type: `/problems/${code.toLowerCase().replaceAll('_', '-')}`,
      title,
      status,
      detail,
      code,
      requestId: randomUUID(),
      instance: path,
    }),
  };
}

type FunctionModule = { handler?: RestHandler; operations?: Record<string, unknown> };

export interface TestGatewayOptions {
  /** Clock for the function handlers and the authorizer; default is the system clock. */
  clock?: Clock;
}

export class TestGateway {
  private readonly handlers = new Map<string, Promise<RestHandler>>();
  private readonly authorizer: ReturnType<typeof createAuthorizer>;

  constructor(private readonly options: TestGatewayOptions = {}) {
    this.authorizer = createAuthorizer(options.clock);
  }

  /** Loads the handler of a function module; with a test clock, rebuilds it from the module's operations. */
  handlerFor(functionName: string): Promise<RestHandler> {
    let handler = this.handlers.get(functionName);
    if (handler === undefined) {
      handler = import(`../../src/functions/${functionName}.ts`).then(async (module: FunctionModule) => {
        if (this.options.clock !== undefined && module.operations !== undefined) {
          const validators: { operations: unknown } = await import(
            `../../../generated/validators/functions/${functionName}.js`
          );
          const functionRoutes: { routes: unknown } = await import(
            `../../../generated/operations/functions/${functionName}.ts`
          );
          return createRestHandler(
            functionName as never,
            module.operations as never,
            { routes: functionRoutes.routes, validators: validators.operations } as never,
            { clock: this.options.clock },
          );
        }
        if (module.handler === undefined) {
          throw new Error(`src/functions/${functionName}.ts exports no handler.`);
        }
        return module.handler;
      });
      this.handlers.set(functionName, handler);
    }
    return handler;
  }

  /** Builds the proxy event API Gateway sends for a request to an operation. */
  buildEvent(route: Route, options: CallOptions): APIGatewayProxyEvent {
    const pathParameters: Record<string, string> = {};
    const concretePath = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
      const value = options.path?.[name] ?? '';
      const encoded = encodeURIComponent(value);
      pathParameters[name] = encoded;
      return encoded;
    });
    const multiValueQuery: Record<string, string[]> = {};
    const singleQuery: Record<string, string> = {};
    for (const [name, value] of Object.entries(options.query ?? {})) {
      const values = Array.isArray(value) ? value : [value];
      multiValueQuery[name] = values;
      const last = values.at(-1);
      if (last !== undefined) {
        singleQuery[name] = last;
      }
    }
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) {
      headers.Authorization = `Bearer ${options.token}`;
    }
    let body: string | null = null;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['Content-Type'] ??= route.requestBody?.contentType ?? 'application/json';
    }
    const multiValueHeaders = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [key, [value]]),
    );
    return {
      resource: route.path,
      path: concretePath,
      httpMethod: route.method.toUpperCase(),
      headers,
      multiValueHeaders,
      queryStringParameters: Object.keys(singleQuery).length === 0 ? null : singleQuery,
      multiValueQueryStringParameters: Object.keys(multiValueQuery).length === 0 ? null : multiValueQuery,
      pathParameters: Object.keys(pathParameters).length === 0 ? null : pathParameters,
      stageVariables: null,
      body,
      isBase64Encoded: false,
      requestContext: {
        accountId: testAccount,
        apiId: testApiId,
        authorizer: null,
        httpMethod: route.method.toUpperCase(),
        identity: { sourceIp: '127.0.0.1' } as APIGatewayProxyEvent['requestContext']['identity'],
        path: `/${testStage}${concretePath}`,
        protocol: 'HTTP/1.1',
        requestId: randomUUID(),
        requestTimeEpoch: Date.now(),
        resourceId: 'test',
        resourcePath: route.path,
        stage: testStage,
      },
    };
  }

  /** Runs the authorizer for an event; returns its result, or undefined when it rejected the token. */
  async authorize(event: APIGatewayProxyEvent): Promise<APIGatewayAuthorizerResult | undefined> {
    const authorizerEvent = {
      type: 'REQUEST',
      methodArn: methodArnFor(event.httpMethod, event.path),
      resource: event.resource,
      path: event.path,
      httpMethod: event.httpMethod,
      headers: event.headers,
      multiValueHeaders: event.multiValueHeaders,
      pathParameters: event.pathParameters,
      queryStringParameters: event.queryStringParameters,
      multiValueQueryStringParameters: event.multiValueQueryStringParameters,
      stageVariables: null,
      requestContext: event.requestContext,
    } as unknown as APIGatewayRequestAuthorizerEvent;
    try {
      return await this.authorizer(authorizerEvent);
    } catch (error) {
      if (error instanceof Error && error.message === 'Unauthorized') {
        return undefined;
      }
      throw error;
    }
  }

  /** Sends a request to an operation through the authorizer (if the route has one) and the function. */
  async call(operationId: OperationId, options: CallOptions = {}): Promise<CallResult> {
    const route = routeOf(operationId);
    const event = this.buildEvent(route, options);
    let policy: APIGatewayAuthorizerResult | undefined;
    if (route.authenticated) {
      policy = await this.authorize(event);
      if (policy === undefined) {
        return toCallResult(
          gatewayProblem(
            401,
            'UNAUTHENTICATED',
            'Authentication required',
            'Send a valid bearer access token.',
            event.path,
          ),
          'authorizer',
        );
      }
      if (!policyAllows(policy, methodArnFor(event.httpMethod, event.path))) {
        return {
          ...toCallResult(
            gatewayProblem(
              403,
              'FORBIDDEN',
              'Forbidden',
              'The caller lacks a right this operation needs.',
              event.path,
            ),
            'authorizer',
          ),
          policy,
        };
      }
      event.requestContext.authorizer = { ...policy.context, principalId: policy.principalId };
    }
    const handler = await this.handlerFor(route.function);
    const result = await handler(event, {
      awsRequestId: event.requestContext.requestId,
      functionName: route.function,
    });
    return { ...toCallResult(result, 'function'), ...(policy === undefined ? {} : { policy }) };
  }
}

function toCallResult(result: APIGatewayProxyResult, answeredBy: CallResult['answeredBy']): CallResult {
  const headers = Object.fromEntries(
    Object.entries(result.headers ?? {}).map(([key, value]) => [key.toLowerCase(), String(value)]),
  );
  const body = result.body === '' ? undefined : (JSON.parse(result.body) as unknown);
  return { status: result.statusCode, headers, body, rawBody: result.body, answeredBy };
}

/**
 * Returns the reasons a function's response violates the contract: an undeclared status, or a body that fails
 * the generated response validator. Empty when the response conforms.
 */
export function responseViolations(operationId: OperationId, result: CallResult): string[] {
  const route = routeOf(operationId);
  const status = String(result.status);
  if (!route.responses.includes(status as never)) {
    return [`status ${status} is not declared for ${operationId} (declared: ${route.responses.join(', ')})`];
  }
  const validators = operationValidators[operationId] as {
    responses: Record<string, ((data: unknown) => boolean) & { errors?: unknown }>;
  };
  const validate = validators.responses[status];
  if (validate === undefined) {
    return result.rawBody === ''
      ? []
      : [`status ${status} of ${operationId} declares no body but got ${result.rawBody.slice(0, 200)}`];
  }
  if (validate(result.body)) {
    return [];
  }
  return [`body of ${operationId} ${status} is invalid: ${JSON.stringify(validate.errors)}`];
}

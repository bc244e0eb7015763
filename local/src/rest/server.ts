// The local REST API: an HTTP server that behaves like an API Gateway REST stage in front of Lambda.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LambdaInvocationError } from '../errors.js';
import type { InvokePermissions } from '../lambda/permissions.js';
import type { FunctionRegistry } from '../lambda/registry.js';
import { formatRequestLine, type Logger } from '../log.js';
import {
  AuthorizerCache,
  authorizerContext,
  evaluatePolicy,
  identityOf,
  isValidPolicy,
} from './authorizer.js';
import { functionArnOfUri, type Operation, type RestApiDefinition } from './definition.js';
import {
  buildProxyEvent,
  buildRequestAuthorizerEvent,
  buildTokenAuthorizerEvent,
  collectHeaders,
  headerValue,
  type IncomingRequest,
  isBinaryMediaType,
  type RouteContext,
} from './event.js';
import { type GatewayReply, type GatewayResponseType, renderGatewayResponse } from './gateway-responses.js';
import { ResourceRouter } from './router.js';
import { RequestValidator } from './validation.js';

/** API Gateway's maximum request payload: 10 MB. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;
/** API Gateway's default (and, for REST APIs without a quota increase, maximum) integration timeout. */
export const DEFAULT_INTEGRATION_TIMEOUT_MS = 29_000;

export interface RestGatewayOptions {
  api: RestApiDefinition;
  functions: FunctionRegistry;
  logger: Logger;
  region: string;
  accountId: string;
  port: number;
  host?: string;
  /** Replaces the integration timeout of every method; tests use it to reach the 504 quickly. */
  integrationTimeoutMs?: number;
  /** The functions' resource policies. Without them every invocation is allowed. */
  permissions?: InvokePermissions;
}

interface Reply {
  status: number;
  headers: Record<string, string[]>;
  body: Buffer;
  functionName?: string | undefined;
  cold?: boolean | undefined;
}

/** A running local REST API. */
export class RestGateway {
  readonly authorizerCache = new AuthorizerCache();
  private readonly router: ResourceRouter<{ resource: string; methods: Map<string, Operation> }>;
  private readonly validator: RequestValidator;
  private server: Server | undefined;

  constructor(private readonly options: RestGatewayOptions) {
    const byResource = new Map<string, Map<string, Operation>>();
    for (const operation of options.api.operations) {
      const methods = byResource.get(operation.resource) ?? new Map<string, Operation>();
      methods.set(operation.method, operation);
      byResource.set(operation.resource, methods);
    }
    this.router = new ResourceRouter([...byResource].map(([resource, methods]) => ({ resource, methods })));
    this.validator = new RequestValidator(options.api.document);
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        this.options.logger.log(
          'error',
          `REST gateway failed on ${request.method} ${request.url}: ${String(error)}`,
        );
        if (!response.headersSent) {
          response.writeHead(500, { 'Content-Type': 'application/json' });
        }
        response.end('{"message":"Internal server error"}');
      });
    });
    this.server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) {
      return;
    }
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const rawUrl = request.url ?? '/';
    const queryStart = rawUrl.indexOf('?');
    const rawPath = queryStart < 0 ? rawUrl : rawUrl.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? '' : rawUrl.slice(queryStart + 1);

    const body = await readBody(request, MAX_PAYLOAD_BYTES);
    const incoming: IncomingRequest = {
      method: request.method ?? 'GET',
      rawPath,
      rawQuery,
      rawHeaders: request.rawHeaders,
      body: body ?? Buffer.alloc(0),
      sourceIp: (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
      localPort: request.socket.localPort ?? this.options.port,
      requestId,
      receivedAt: Date.now(),
    };
    const reply =
      body === undefined
        ? this.gatewayReply('REQUEST_TOO_LARGE', incoming, 'Request Too Long')
        : await this.route(incoming);

    const headers: Record<string, string[]> = {
      ...reply.headers,
      'x-amzn-RequestId': [requestId],
      'x-amz-apigw-id': [requestId.replace(/-/g, '').slice(0, 16)],
      'Content-Length': [String(reply.body.length)],
    };
    response.writeHead(
      reply.status,
      Object.entries(headers).flatMap(([name, values]) => values.flatMap((value) => [name, value])),
    );
    response.end(incoming.method === 'HEAD' ? undefined : reply.body);
    this.options.logger.log(
      'info',
      formatRequestLine({
        protocol: 'REST',
        method: incoming.method,
        path: rawUrl,
        status: reply.status,
        durationMs: performance.now() - started,
        functionName: reply.functionName,
        cold: reply.cold,
      }),
    );
  }

  private async route(incoming: IncomingRequest): Promise<Reply> {
    const [match] = this.router.matchAll(incoming.rawPath);
    const operation = match?.route.methods.get(incoming.method) ?? match?.route.methods.get('ANY');
    if (!match || !operation) {
      return this.gatewayReply('MISSING_AUTHENTICATION_TOKEN', incoming, 'Missing Authentication Token');
    }
    const route: RouteContext = {
      resource: operation.resource,
      pathParameters: match.pathParameters,
      apiId: this.options.api.apiId,
      stage: this.options.api.stageName,
      accountId: this.options.accountId,
      region: this.options.region,
      binaryMediaTypes: this.options.api.binaryMediaTypes,
    };
    if (operation.integration.type.toLowerCase() === 'mock') {
      return mockReply(operation);
    }

    const headers = collectHeaders(incoming.rawHeaders).single;
    let authorizer: Record<string, unknown> | undefined;
    if (operation.authorizer) {
      const outcome = await this.authorize(operation, incoming, route, headers);
      if ('reply' in outcome) {
        return outcome.reply;
      }
      authorizer = outcome.context;
    }

    const failure =
      this.validator.validateParameters(operation, headers, incoming.rawQuery) ??
      this.validator.validateBody(operation, headerValue(headers, 'content-type'), incoming.body);
    if (failure) {
      return this.gatewayReply(
        failure.type,
        incoming,
        failure.message,
        'validationErrorString' in failure ? failure.validationErrorString : undefined,
        operation.resource,
      );
    }
    return this.invokeIntegration(operation, incoming, route, authorizer);
  }

  private async authorize(
    operation: Operation,
    incoming: IncomingRequest,
    route: RouteContext,
    headers: Record<string, string>,
  ): Promise<{ context: Record<string, unknown> } | { reply: Reply }> {
    const authorizer = operation.authorizer;
    if (!authorizer) {
      return { context: {} };
    }
    const identity = identityOf(authorizer, headers, incoming.rawQuery);
    if (!identity) {
      return {
        reply: this.gatewayReply('UNAUTHORIZED', incoming, 'Unauthorized', undefined, operation.resource),
      };
    }
    const arn = buildRequestAuthorizerEvent(incoming, route).methodArn;
    const started = performance.now();
    let policy = this.authorizerCache.get(authorizer, identity);
    if (!policy) {
      const functionArn = functionArnOfUri(authorizer.uri) ?? authorizer.uri;
      const source = `arn:aws:execute-api:${route.region}:${route.accountId}:${route.apiId}/authorizers/${authorizer.name}`;
      if (!this.mayInvoke(functionArn, source)) {
        return {
          reply: this.gatewayReply(
            'AUTHORIZER_CONFIGURATION_ERROR',
            incoming,
            'null',
            undefined,
            operation.resource,
          ),
        };
      }
      const event =
        authorizer.type === 'token'
          ? buildTokenAuthorizerEvent(identity[0] ?? '', incoming, route)
          : buildRequestAuthorizerEvent(incoming, route);
      try {
        const invocation = await this.options.functions.invoke(functionArn, event);
        if (!isValidPolicy(invocation.payload)) {
          this.options.logger.log(
            'error',
            `Authorizer ${invocation.functionName} returned an invalid result (needs principalId, policyDocument.Statement and flat context values): ${JSON.stringify(invocation.payload)}`,
          );
          return {
            reply: this.gatewayReply(
              'AUTHORIZER_CONFIGURATION_ERROR',
              incoming,
              'null',
              undefined,
              operation.resource,
            ),
          };
        }
        policy = invocation.payload;
        this.authorizerCache.set(authorizer, identity, policy);
      } catch (error) {
        // A Lambda authorizer signals "no valid identity" by failing with the message "Unauthorized".
        if (error instanceof LambdaInvocationError && error.message === 'Unauthorized') {
          return {
            reply: this.gatewayReply('UNAUTHORIZED', incoming, 'Unauthorized', undefined, operation.resource),
          };
        }
        this.options.logger.log(
          'error',
          `Authorizer for ${operation.method} ${operation.resource} failed: ${String(error)}`,
        );
        return {
          reply: this.gatewayReply('AUTHORIZER_FAILURE', incoming, 'null', undefined, operation.resource),
        };
      }
    }
    const decision = evaluatePolicy(policy, arn);
    if (decision === 'deny') {
      return {
        reply: this.gatewayReply(
          'ACCESS_DENIED',
          incoming,
          'User is not authorized to access this resource with an explicit deny',
          undefined,
          operation.resource,
        ),
      };
    }
    if (decision === 'no-match') {
      return {
        reply: this.gatewayReply(
          'ACCESS_DENIED',
          incoming,
          'User is not authorized to access this resource',
          undefined,
          operation.resource,
        ),
      };
    }
    return { context: authorizerContext(policy, performance.now() - started) };
  }

  private async invokeIntegration(
    operation: Operation,
    incoming: IncomingRequest,
    route: RouteContext,
    authorizer: Record<string, unknown> | undefined,
  ): Promise<Reply> {
    const functionArn = functionArnOfUri(operation.integration.uri ?? '');
    if (operation.integration.type.toLowerCase() !== 'aws_proxy' || !functionArn) {
      this.options.logger.log(
        'error',
        `${operation.method} ${operation.resource} uses integration type ${operation.integration.type}; the local gateway runs only Lambda proxy (aws_proxy) and mock integrations.`,
      );
      return this.gatewayReply(
        'API_CONFIGURATION_ERROR',
        incoming,
        'Internal server error',
        undefined,
        operation.resource,
      );
    }
    if (!this.mayInvoke(functionArn, buildRequestAuthorizerEvent(incoming, route).methodArn)) {
      return this.gatewayReply(
        'API_CONFIGURATION_ERROR',
        incoming,
        'Internal server error',
        undefined,
        operation.resource,
      );
    }
    const event = buildProxyEvent(incoming, route, authorizer);
    const timeoutMs =
      this.options.integrationTimeoutMs ??
      operation.integration.timeoutInMillis ??
      DEFAULT_INTEGRATION_TIMEOUT_MS;
    let timer: NodeJS.Timeout | undefined;
    let resolveTimeout: (value: 'timeout') => void = () => {};
    const timeout = new Promise<'timeout'>((resolve) => {
      resolveTimeout = resolve;
    });
    // The integration timeout counts from the start of the invocation. Locally, invocations beyond a few
    // instances per function queue, while Lambda starts more instances, so queue time must not cause a 504.
    const invocation = this.options.functions.invoke(functionArn, event, () => {
      timer = setTimeout(() => resolveTimeout('timeout'), timeoutMs);
    });
    invocation.catch(() => {});
    try {
      const outcome = await Promise.race([invocation, timeout]);
      if (outcome === 'timeout') {
        return this.gatewayReply(
          'INTEGRATION_TIMEOUT',
          incoming,
          'Endpoint request timed out',
          undefined,
          operation.resource,
        );
      }
      const reply = proxyReply(outcome.payload, incoming, route.binaryMediaTypes);
      if (!reply) {
        this.options.logger.log(
          'error',
          `${outcome.functionName} returned a malformed proxy response (needs a statusCode and a string body): ${JSON.stringify(outcome.payload)?.slice(0, 500)}`,
        );
        return {
          ...this.gatewayReply(
            'DEFAULT_5XX',
            incoming,
            'Internal server error',
            undefined,
            operation.resource,
            502,
          ),
          functionName: outcome.functionName,
          cold: outcome.cold,
        };
      }
      return { ...reply, functionName: outcome.functionName, cold: outcome.cold };
    } catch (error) {
      this.options.logger.log('error', `${operation.method} ${operation.resource} failed: ${String(error)}`);
      return this.gatewayReply(
        'DEFAULT_5XX',
        incoming,
        'Internal server error',
        undefined,
        operation.resource,
        502,
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Checks the function's resource policy for the API Gateway principal. API Gateway returns 500 for a missing
   * permission and logs "Invalid permissions on Lambda function", and so does this check.
   */
  private mayInvoke(functionArn: string, sourceArn: string): boolean {
    const { permissions, functions, logger } = this.options;
    const target = functions.find(functionArn);
    if (!permissions || !target) {
      return true;
    }
    if (permissions.allows(target.definition.logicalId, 'apigateway.amazonaws.com', sourceArn)) {
      return true;
    }
    logger.log(
      'error',
      `Execution failed due to configuration error: Invalid permissions on Lambda function ${target.definition.displayName}. No AWS::Lambda::Permission for apigateway.amazonaws.com has a SourceArn matching ${sourceArn}.`,
    );
    return false;
  }

  private gatewayReply(
    type: GatewayResponseType | 'DEFAULT_5XX',
    incoming: IncomingRequest,
    message: string,
    validationErrorString?: string,
    resourcePath?: string,
    statusOverride?: number,
  ): Reply {
    const rendered: GatewayReply = renderGatewayResponse(
      type,
      this.options.api.gatewayResponses,
      {
        message,
        validationErrorString,
        requestId: incoming.requestId,
        path: incoming.rawPath,
        resourcePath,
        httpMethod: incoming.method,
        stage: this.options.api.stageName,
        apiId: this.options.api.apiId,
        requestHeaders: collectHeaders(incoming.rawHeaders).single,
      },
      statusOverride,
    );
    return {
      status: rendered.status,
      headers: Object.fromEntries(Object.entries(rendered.headers).map(([name, value]) => [name, [value]])),
      body: Buffer.from(rendered.body),
    };
  }
}

/** Reads a request body; undefined when it is larger than `limit` bytes. */
async function readBody(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > limit) {
    request.resume();
    return undefined;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      tooLarge = true;
      continue;
    }
    chunks.push(chunk as Buffer);
  }
  return tooLarge ? undefined : Buffer.concat(chunks);
}

/**
 * Converts a Lambda proxy result to an HTTP reply; undefined when it is malformed (API Gateway then returns 502).
 * `headers` and `multiValueHeaders` are merged. A base64 body is decoded only when the response content type
 * or the request's Accept header is a binary media type. Otherwise the base64 text is sent as is.
 */
export function proxyReply(
  payload: unknown,
  incoming: IncomingRequest,
  binaryMediaTypes: string[],
): Omit<Reply, 'functionName' | 'cold'> | undefined {
  if (payload === null || typeof payload !== 'object') {
    return undefined;
  }
  const result = payload as {
    statusCode?: unknown;
    headers?: Record<string, unknown>;
    multiValueHeaders?: Record<string, unknown[]>;
    body?: unknown;
    isBase64Encoded?: unknown;
  };
  const status = Number(result.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    return undefined;
  }
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') {
    return undefined;
  }

  const headers: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) {
    headers[name] = [String(value)];
  }
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    if (!Array.isArray(values)) {
      return undefined;
    }
    const existing = headers[name] ?? [];
    headers[name] = [...existing, ...values.map(String).filter((value) => !existing.includes(value))];
  }

  const contentTypeName = Object.keys(headers).find((name) => name.toLowerCase() === 'content-type');
  if (!contentTypeName) {
    headers['Content-Type'] = ['application/json'];
  }
  const contentType = headers[contentTypeName ?? 'Content-Type']?.[0];
  const accept = headerValue(collectHeaders(incoming.rawHeaders).single, 'accept');
  const text = (result.body as string | undefined) ?? '';
  const binary =
    result.isBase64Encoded === true &&
    (isBinaryMediaType(contentType, binaryMediaTypes) || isBinaryMediaType(accept, binaryMediaTypes));
  return { status, headers, body: binary ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8') };
}

/**
 * Builds the response of a MOCK integration, such as the OPTIONS methods that carry CORS headers. The status
 * comes from the request template's statusCode, the headers from the default integration response.
 */
function mockReply(operation: Operation): Reply {
  const template = Object.values(operation.integration.requestTemplates ?? {})[0] ?? '{"statusCode": 200}';
  const requested = /"statusCode"\s*:\s*(\d{3})/.exec(template)?.[1] ?? '200';
  const responses = operation.integration.responses ?? {};
  const response =
    Object.entries(responses).find(
      ([pattern]) => pattern !== 'default' && new RegExp(`^${pattern}$`).test(requested),
    )?.[1] ?? responses.default;
  const headers: Record<string, string[]> = {};
  for (const [key, source] of Object.entries(response?.responseParameters ?? {})) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    const literal = /^'(.*)'$/s.exec(source)?.[1];
    if (name && literal !== undefined) {
      headers[name] = [literal];
    }
  }
  const [contentType, body] = Object.entries(response?.responseTemplates ?? {})[0] ?? [undefined, ''];
  if (contentType) {
    headers['Content-Type'] = [contentType];
  }
  return { status: Number(response?.statusCode ?? requested), headers, body: Buffer.from(body) };
}

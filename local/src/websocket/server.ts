// The local WebSocket API: $connect during the upgrade, route selection for messages, $disconnect, and
// the @connections management API on the same port, with API Gateway's limits and error shapes.

import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { LambdaInvocationError } from '../errors.js';
import type { FunctionRegistry } from '../lambda/registry.js';
import { formatRequestLine, type Logger } from '../log.js';
import { authorizerContext, evaluatePolicy, isValidPolicy } from '../rest/authorizer.js';
import { collectHeaders, formatRequestTime, headerValue, parseQuery } from '../rest/event.js';
import type { WebSocketApiDefinition, WebSocketRoute } from './definition.js';

/** API Gateway WebSocket limits (developer guide, "Amazon API Gateway quotas"). */
export const WEBSOCKET_LIMITS = {
  frameBytes: 32 * 1024,
  messageBytes: 128 * 1024,
  idleTimeoutMs: 10 * 60 * 1000,
  maxDurationMs: 2 * 60 * 60 * 1000,
};

export interface WebSocketGatewayOptions {
  api: WebSocketApiDefinition;
  functions: FunctionRegistry;
  logger: Logger;
  region: string;
  accountId: string;
  port: number;
  /** Overrides the idle timeout (default 10 minutes); tests shorten it. */
  idleTimeoutMs?: number;
  /** Overrides the maximum connection duration (default 2 hours); tests shorten it. */
  maxDurationMs?: number;
}

interface Connection {
  id: string;
  socket: WebSocket;
  connectedAt: number;
  lastActiveAt: number;
  sourceIp: string;
  userAgent: string | undefined;
  authorizer: Record<string, unknown> | undefined;
  timers: NodeJS.Timeout[];
}

// Connection ids look like API Gateway's (e.g. "R0oXAdfD0kwCH6w="): 11 random bytes in base64, 16 characters
// ending in "=". The URL-safe alphabet keeps them usable in an @connections path without encoding.
const CONNECTION_ID_PATTERN = /^[A-Za-z0-9+/_-]{15}=$/;

function newConnectionId(): string {
  return `${randomBytes(11).toString('base64url')}=`;
}

/** A running local WebSocket API. */
export class WebSocketGateway {
  private readonly connections = new Map<string, Connection>();
  private readonly sockets = new WebSocketServer({
    noServer: true,
    maxPayload: WEBSOCKET_LIMITS.messageBytes,
    // A subprotocol is selected only when $connect returned one (see upgrade below).
    handleProtocols: (_protocols, request) => (request as UpgradeRequest).selectedProtocol ?? false,
  });
  private server: Server | undefined;
  private port = 0;

  constructor(private readonly options: WebSocketGatewayOptions) {}

  get stagePath(): string {
    return `/${this.options.api.stageName}`;
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => {
      this.handleManagement(request, response).catch((error: unknown) => {
        this.options.logger.log(
          'error',
          `@connections failed on ${request.method} ${request.url}: ${String(error)}`,
        );
        if (!response.headersSent) {
          sendJson(response, 500, { message: 'Internal server error' });
        }
      });
    });
    this.server.on('upgrade', (request, socket, head) => {
      this.handleUpgrade(request as UpgradeRequest, socket, head).catch((error: unknown) => {
        this.options.logger.log('error', `$connect failed: ${String(error)}`);
        rejectUpgrade(socket, 500);
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server?.once('error', reject);
      this.server?.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
    return `ws://127.0.0.1:${this.port}${this.stagePath}`;
  }

  /** The @connections base URL a Lambda's management client uses. */
  get callbackUrl(): string {
    return `http://127.0.0.1:${this.port}${this.stagePath}`;
  }

  /** Ids of the open connections. */
  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  async stop(): Promise<void> {
    for (const connection of this.connections.values()) {
      this.clearTimers(connection);
      connection.socket.terminate();
    }
    this.connections.clear();
    const server = this.server;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  }

  private async handleUpgrade(request: UpgradeRequest, socket: Duplex, head: Buffer): Promise<void> {
    const started = performance.now();
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const path = queryStart < 0 ? url : url.slice(0, queryStart);
    const rawQuery = queryStart < 0 ? '' : url.slice(queryStart + 1);
    const log = (status: number, functionName?: string, cold?: boolean) =>
      this.options.logger.log(
        'info',
        formatRequestLine({
          protocol: 'WS',
          method: '$connect',
          path,
          status,
          durationMs: performance.now() - started,
          functionName,
          cold,
        }),
      );
    if (path !== this.stagePath && path !== `${this.stagePath}/`) {
      rejectUpgrade(socket, 403);
      log(403);
      return;
    }

    const connectionId = newConnectionId();
    const connectedAt = Date.now();
    const headers = collectHeaders(request.rawHeaders);
    const query = parseQuery(rawQuery);
    const sourceIp = (request.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    const requestContext = this.requestContext(
      '$connect',
      'CONNECT',
      connectionId,
      connectedAt,
      sourceIp,
      headers.single,
    );
    const route = this.options.api.routes.get('$connect');

    let authorizer: Record<string, unknown> | undefined;
    if (route?.authorizer) {
      const outcome = await this.authorize(route, headers.single, rawQuery, requestContext, query);
      if ('status' in outcome) {
        rejectUpgrade(socket, outcome.status);
        log(outcome.status);
        return;
      }
      authorizer = outcome.context;
    }

    let functionName: string | undefined;
    let cold: boolean | undefined;
    if (route) {
      const event = {
        headers: headers.single,
        multiValueHeaders: headers.multi,
        ...(query.single
          ? { queryStringParameters: query.single, multiValueQueryStringParameters: query.multi }
          : {}),
        requestContext: { ...requestContext, ...(authorizer ? { authorizer } : {}) },
        isBase64Encoded: false,
      };
      try {
        const invocation = await this.options.functions.invoke(route.functionArn, event);
        functionName = invocation.functionName;
        cold = invocation.cold;
        const result = (invocation.payload ?? {}) as {
          statusCode?: number;
          headers?: Record<string, string>;
        };
        const status = Number(result.statusCode ?? 200);
        if (!(status >= 200 && status < 300)) {
          rejectUpgrade(socket, status);
          log(status, functionName, cold);
          return;
        }
        const protocol = result.headers ? headerValue(result.headers, 'sec-websocket-protocol') : undefined;
        if (protocol) {
          request.selectedProtocol = protocol;
        }
      } catch (error) {
        this.options.logger.log('error', `$connect integration failed: ${String(error)}`);
        rejectUpgrade(socket, 500);
        log(500);
        return;
      }
    }

    this.sockets.handleUpgrade(request, socket, head, (webSocket) => {
      limitFrameSize(webSocket, WEBSOCKET_LIMITS.frameBytes);
      const connection: Connection = {
        id: connectionId,
        socket: webSocket,
        connectedAt,
        lastActiveAt: connectedAt,
        sourceIp,
        userAgent: headerValue(headers.single, 'user-agent'),
        authorizer,
        timers: [],
      };
      this.connections.set(connectionId, connection);
      this.armTimers(connection);
      webSocket.on('message', (data, isBinary) => {
        connection.lastActiveAt = Date.now();
        this.armTimers(connection, true);
        this.handleMessage(connection, data, isBinary).catch((error: unknown) => {
          this.options.logger.log('error', `WebSocket message on ${connectionId} failed: ${String(error)}`);
        });
      });
      webSocket.on('close', (code, reason) => {
        this.handleClose(connection, code, reason.toString()).catch((error: unknown) => {
          this.options.logger.log('error', `$disconnect of ${connectionId} failed: ${String(error)}`);
        });
      });
      webSocket.on('error', (error) => {
        this.options.logger.log('warn', `WebSocket ${connectionId} closed on error: ${error.message}`);
      });
      log(101, functionName, cold);
    });
  }

  private async authorize(
    route: WebSocketRoute,
    headers: Record<string, string>,
    rawQuery: string,
    requestContext: Record<string, unknown>,
    query: ReturnType<typeof parseQuery>,
  ): Promise<{ context: Record<string, unknown> } | { status: number }> {
    const authorizer = route.authorizer;
    if (!authorizer) {
      return { context: {} };
    }
    const querySingle = parseQuery(rawQuery).single ?? {};
    for (const source of authorizer.identitySources) {
      const header = /^route\.request\.header\.(.+)$/i.exec(source.trim())?.[1];
      const querystring = /^route\.request\.querystring\.(.+)$/i.exec(source.trim())?.[1];
      const value = header
        ? headerValue(headers, header)
        : querystring
          ? querySingle[querystring]
          : 'present';
      if (!value) {
        return { status: 401 };
      }
    }
    const methodArn = `arn:aws:execute-api:${this.options.region}:${this.options.accountId}:${this.options.api.apiId}/${this.options.api.stageName}/$connect`;
    const started = performance.now();
    const event = {
      type: 'REQUEST',
      methodArn,
      headers,
      multiValueHeaders: collectHeaders(Object.entries(headers).flat()).multi,
      queryStringParameters: query.single ?? {},
      multiValueQueryStringParameters: query.multi ?? {},
      stageVariables: {},
      requestContext,
    };
    try {
      const invocation = await this.options.functions.invoke(authorizer.functionArn, event);
      if (!isValidPolicy(invocation.payload)) {
        this.options.logger.log(
          'error',
          `WebSocket authorizer returned an invalid policy: ${JSON.stringify(invocation.payload)}`,
        );
        return { status: 500 };
      }
      const decision = evaluatePolicy(invocation.payload, methodArn);
      if (decision !== 'allow') {
        return { status: 403 };
      }
      return { context: authorizerContext(invocation.payload, performance.now() - started) };
    } catch (error) {
      if (error instanceof LambdaInvocationError && error.message === 'Unauthorized') {
        return { status: 401 };
      }
      this.options.logger.log('error', `WebSocket authorizer failed: ${String(error)}`);
      return { status: 500 };
    }
  }

  private async handleMessage(connection: Connection, data: RawData, isBinary: boolean): Promise<void> {
    const started = performance.now();
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
    const body = isBinary ? buffer.toString('base64') : buffer.toString('utf8');
    const routeKey = this.selectRoute(isBinary ? undefined : body);
    const route = this.options.api.routes.get(routeKey) ?? this.options.api.routes.get('$default');
    const requestId = randomUUID();
    if (!route) {
      this.sendToClient(connection, { message: 'Forbidden', connectionId: connection.id, requestId });
      this.logMessage(routeKey, 'no route', started);
      return;
    }
    const requestContext = {
      ...this.requestContext(
        route.routeKey,
        'MESSAGE',
        connection.id,
        connection.connectedAt,
        connection.sourceIp,
        {},
      ),
      messageId: randomBytes(12).toString('base64').slice(0, 15).concat('='),
      requestId,
      ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
    };
    try {
      const invocation = await this.options.functions.invoke(route.functionArn, {
        requestContext,
        body,
        isBase64Encoded: isBinary,
      });
      const result = invocation.payload as { statusCode?: number; body?: unknown } | null;
      if (route.sendsResponse && result && typeof result.body === 'string') {
        this.sendRaw(connection, result.body);
      }
      this.logMessage(
        route.routeKey,
        result?.statusCode ?? 200,
        started,
        invocation.functionName,
        invocation.cold,
      );
    } catch (error) {
      this.options.logger.log('error', `Route ${route.routeKey} failed: ${String(error)}`);
      this.sendToClient(connection, {
        message: 'Internal server error',
        connectionId: connection.id,
        requestId,
      });
      this.logMessage(route.routeKey, 500, started);
    }
  }

  /**
   * Evaluates the route selection expression (`$request.body.<path>`) on a message. Non-JSON messages,
   * binary messages and missing or non-string values select `$default`.
   */
  selectRoute(body: string | undefined): string {
    const expression = this.options.api.routeSelectionExpression;
    const path = /^\$request\.body\.(.+)$/.exec(expression)?.[1];
    if (body === undefined || !path) {
      return '$default';
    }
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return '$default';
    }
    for (const key of path.split('.')) {
      value =
        value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
    }
    if (typeof value !== 'string' || value === '$connect' || value === '$disconnect') {
      return '$default';
    }
    return this.options.api.routes.has(value) ? value : '$default';
  }

  private async handleClose(connection: Connection, code: number, reason: string): Promise<void> {
    this.clearTimers(connection);
    if (!this.connections.delete(connection.id)) {
      return;
    }
    const route = this.options.api.routes.get('$disconnect');
    if (!route) {
      return;
    }
    const started = performance.now();
    const event = {
      headers: { Host: `127.0.0.1:${this.port}`, 'X-Forwarded-For': connection.sourceIp },
      multiValueHeaders: { Host: [`127.0.0.1:${this.port}`], 'X-Forwarded-For': [connection.sourceIp] },
      requestContext: {
        ...this.requestContext(
          '$disconnect',
          'DISCONNECT',
          connection.id,
          connection.connectedAt,
          connection.sourceIp,
          {},
        ),
        disconnectStatusCode: code,
        disconnectReason: reason,
        ...(connection.authorizer ? { authorizer: connection.authorizer } : {}),
      },
      isBase64Encoded: false,
    };
    // $disconnect is best effort, as on AWS: a failure is logged and not retried.
    try {
      const invocation = await this.options.functions.invoke(route.functionArn, event);
      this.logMessage('$disconnect', 200, started, invocation.functionName, invocation.cold);
    } catch (error) {
      this.options.logger.log('warn', `$disconnect handler failed for ${connection.id}: ${String(error)}`);
    }
  }

  private async handleManagement(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const url = (request.url ?? '/').split('?')[0] ?? '/';
    const match = /^\/([^/]+)\/@connections\/([^/]*)$/.exec(url);
    const status = await this.management(request, response, match);
    this.options.logger.log(
      'info',
      formatRequestLine({
        protocol: 'WS',
        method: `${request.method} @connections`,
        path: url,
        status,
        durationMs: performance.now() - started,
      }),
    );
  }

  private async management(
    request: IncomingMessage,
    response: ServerResponse,
    match: RegExpExecArray | null,
  ): Promise<number> {
    if (!match || match[1] !== this.options.api.stageName) {
      return sendJson(response, 403, { message: 'Forbidden' }, 'ForbiddenException');
    }
    let connectionId: string;
    try {
      connectionId = decodeURIComponent(match[2] ?? '');
    } catch {
      connectionId = '';
    }
    if (!CONNECTION_ID_PATTERN.test(connectionId)) {
      return sendJson(
        response,
        400,
        { message: `Invalid connectionId: ${connectionId}` },
        'BadRequestException',
      );
    }
    const body = await readLimited(request, WEBSOCKET_LIMITS.messageBytes);
    const connection = this.connections.get(connectionId);
    if (!connection || connection.socket.readyState !== WebSocket.OPEN) {
      return sendJson(response, 410, { message: null }, 'GoneException');
    }
    switch (request.method) {
      case 'POST': {
        if (body === undefined) {
          return sendJson(response, 413, { message: 'Message too long' }, 'PayloadTooLargeException');
        }
        this.sendRaw(connection, body);
        connection.lastActiveAt = Date.now();
        this.armTimers(connection, true);
        response.writeHead(200, { 'Content-Length': '0' });
        response.end();
        return 200;
      }
      case 'GET':
        return sendJson(response, 200, {
          connectedAt: new Date(connection.connectedAt).toISOString(),
          identity: { sourceIp: connection.sourceIp, userAgent: connection.userAgent ?? null },
          lastActiveAt: new Date(connection.lastActiveAt).toISOString(),
        });
      case 'DELETE':
        connection.socket.close(1000);
        response.writeHead(204, { 'Content-Length': '0' });
        response.end();
        return 204;
      default:
        return sendJson(response, 403, { message: 'Forbidden' }, 'ForbiddenException');
    }
  }

  private requestContext(
    routeKey: string,
    eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT',
    connectionId: string,
    connectedAt: number,
    sourceIp: string,
    headers: Record<string, string>,
  ): Record<string, unknown> {
    const now = Date.now();
    return {
      routeKey,
      eventType,
      extendedRequestId: randomUUID().replace(/-/g, '').slice(0, 16),
      requestTime: formatRequestTime(now),
      messageDirection: 'IN',
      stage: this.options.api.stageName,
      connectedAt,
      requestTimeEpoch: now,
      identity: {
        sourceIp,
        ...(headerValue(headers, 'user-agent') ? { userAgent: headerValue(headers, 'user-agent') } : {}),
      },
      requestId: randomUUID(),
      domainName: `127.0.0.1`,
      connectionId,
      apiId: this.options.api.apiId,
    };
  }

  private sendToClient(connection: Connection, message: unknown): void {
    this.sendRaw(connection, JSON.stringify(message));
  }

  private sendRaw(connection: Connection, data: string | Buffer): void {
    if (connection.socket.readyState === WebSocket.OPEN) {
      connection.socket.send(data);
    }
  }

  // Idle timeout restarts on activity; the maximum duration counts from the connection's start.
  private armTimers(connection: Connection, activityOnly = false): void {
    const idleMs = this.options.idleTimeoutMs ?? WEBSOCKET_LIMITS.idleTimeoutMs;
    const maxMs = this.options.maxDurationMs ?? WEBSOCKET_LIMITS.maxDurationMs;
    const [idleTimer, maxTimer] = connection.timers;
    clearTimeout(idleTimer);
    const nextIdle = setTimeout(() => connection.socket.close(1001, 'Going away'), idleMs);
    if (activityOnly && maxTimer) {
      connection.timers = [nextIdle, maxTimer];
      return;
    }
    clearTimeout(maxTimer);
    const remaining = Math.max(0, connection.connectedAt + maxMs - Date.now());
    connection.timers = [nextIdle, setTimeout(() => connection.socket.close(1001, 'Going away'), remaining)];
  }

  private clearTimers(connection: Connection): void {
    for (const timer of connection.timers) {
      clearTimeout(timer);
    }
    connection.timers = [];
  }

  private logMessage(
    routeKey: string,
    status: number | string,
    started: number,
    functionName?: string,
    cold?: boolean,
  ) {
    this.options.logger.log(
      'info',
      formatRequestLine({
        protocol: 'WS',
        method: routeKey,
        path: '',
        status,
        durationMs: performance.now() - started,
        functionName,
        cold,
      }),
    );
  }
}

interface UpgradeRequest extends IncomingMessage {
  selectedProtocol?: string;
}

function rejectUpgrade(socket: Duplex, status: number): void {
  const reason = { 401: 'Unauthorized', 403: 'Forbidden', 500: 'Internal Server Error' }[status] ?? 'Error';
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

function sendJson(response: ServerResponse, status: number, body: unknown, errorType?: string): number {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  response.end(text);
  return status;
}

async function readLimited(request: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size <= limit) {
      chunks.push(chunk as Buffer);
    }
  }
  return size > limit ? undefined : Buffer.concat(chunks);
}

/**
 * Closes the connection with 1009 when one data frame is larger than `limit`, as API Gateway does for
 * frames above 32 KB (ws itself only limits the whole message). NOTE: this wraps a private method of the
 * ws 8 receiver; a ws upgrade must keep the frame-limit test passing.
 */
function limitFrameSize(webSocket: WebSocket, limit: number): void {
  const receiver = (webSocket as unknown as { _receiver?: FrameReceiver })._receiver;
  if (!receiver || typeof receiver.haveLength !== 'function') {
    return;
  }
  const original = receiver.haveLength.bind(receiver);
  receiver.haveLength = (callback) => {
    if (receiver._opcode < 0x08 && receiver._payloadLength > limit) {
      callback(
        receiver.createError(
          RangeError,
          'Frame size exceeded',
          false,
          1009,
          'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH',
        ),
      );
      return;
    }
    original(callback);
  };
}

interface FrameReceiver {
  _opcode: number;
  _payloadLength: number;
  haveLength(callback: (error?: Error) => void): void;
  createError(
    type: ErrorConstructor,
    message: string,
    prefix: boolean,
    statusCode: number,
    code: string,
  ): Error;
}

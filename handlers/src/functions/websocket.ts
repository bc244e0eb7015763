/**
 * Lambda function `websocket`: every route of the WebSocket API. `$connect` runs after the authorizer verified
 * the token and stores the connection; `subscribe`, `unsubscribe` and `ping` reply through the `@connections`
 * API; `$default` answers unknown or malformed messages with an error; `$disconnect` removes the connection.
 * Client messages are checked with the generated AsyncAPI validators and the rights of the generated route table.
 */
import { messages as messageValidators } from '../../../generated/validators/client-messages.js';
import {
  type ClientAction,
  type ClientMessagesByAction,
  clientMessageNames,
  routes,
  type ServerMessage,
} from '../../../generated/websocket/index.js';
import { fromAuthorizerContext } from '../auth/authorizer-context.js';
import { postToConnection } from '../clinical/live-messages.js';
import {
  type ConnectionRecord,
  countSubscriptions,
  deleteConnection,
  getConnection,
  MAX_SUBSCRIPTIONS_PER_CONNECTION,
  putConnection,
  subscribe,
  unsubscribe,
} from '../data/connections.js';
import { getDisaster } from '../data/disasters.js';
import type { ProblemCode } from '../errors.js';
import { logger } from '../observability/index.js';

/** The part of an API Gateway WebSocket event these routes read. */
export interface WebSocketEvent {
  requestContext: {
    routeKey: string;
    connectionId: string;
    connectedAt?: number;
    requestId?: string;
    authorizer?: Record<string, unknown> | null;
  };
  body?: string | null;
  isBase64Encoded?: boolean;
}

export interface WebSocketResult {
  statusCode: number;
}

type ErrorCode = Extract<ProblemCode, 'VALIDATION_FAILED' | 'FORBIDDEN' | 'NOT_FOUND' | 'INTERNAL'>;

/** A client message that failed a check; its code and detail go back to the client as an `error` message. */
class MessageError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

const CLIENT_ACTIONS = Object.keys(clientMessageNames) as ClientAction[];
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

function isClientAction(routeKey: string): routeKey is ClientAction {
  return (CLIENT_ACTIONS as string[]).includes(routeKey);
}

/** Parses a frame as a JSON object, or throws VALIDATION_FAILED. */
function parseFrame(event: WebSocketEvent): Record<string, unknown> {
  const raw =
    event.isBase64Encoded === true
      ? Buffer.from(event.body ?? '', 'base64').toString('utf8')
      : (event.body ?? '');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    throw new MessageError(
      'VALIDATION_FAILED',
      `The message is not JSON; send a JSON object with an action (${CLIENT_ACTIONS.join(', ')}).`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MessageError(
      'VALIDATION_FAILED',
      `The message must be a JSON object with an action (${CLIENT_ACTIONS.join(', ')}).`,
    );
  }
  return value as Record<string, unknown>;
}

/** Returns the request id to echo: the client's, if it is a valid request id. */
function echoedRequestId(frame: Record<string, unknown> | undefined): string | null {
  const requestId = frame?.requestId;
  return typeof requestId === 'string' && REQUEST_ID.test(requestId) ? requestId : null;
}

/** Validates a frame against the AsyncAPI message of its route. */
function validateMessage<A extends ClientAction>(
  action: A,
  frame: Record<string, unknown>,
): ClientMessagesByAction[A] {
  const validate = messageValidators[clientMessageNames[action]];
  if (!validate(frame)) {
    const first = validate.errors?.[0];
    const where =
      first === undefined ? '' : ` at ${first.instancePath || '/'} (${first.message ?? first.keyword})`;
    throw new MessageError(
      'VALIDATION_FAILED',
      `The ${action} message is invalid${where}; see the AsyncAPI document.`,
    );
  }
  return frame as ClientMessagesByAction[A];
}

async function requireConnection(connectionId: string, action: ClientAction): Promise<ConnectionRecord> {
  const connection = await getConnection(connectionId, new Date());
  if (connection === undefined) {
    throw new MessageError(
      'FORBIDDEN',
      'This connection is not registered any more; reconnect with a fresh token.',
    );
  }
  const needed = routes.find((route) => route.routeKey === action)?.rights ?? [];
  const missing = needed.filter((right) => !connection.rights.includes(right));
  if (missing.length > 0) {
    throw new MessageError('FORBIDDEN', `The ${action} message needs the rights ${missing.join(', ')}.`);
  }
  return connection;
}

async function handleConnect(event: WebSocketEvent): Promise<WebSocketResult> {
  const authorized = fromAuthorizerContext(event.requestContext.authorizer);
  if (authorized === null) {
    logger.warn('connect without authorizer context rejected');
    return { statusCode: 401 };
  }
  if (!authorized.principal.rights.has('WebSocket')) {
    logger.warn('connect without the WebSocket right rejected', { principalId: authorized.principal.id });
    return { statusCode: 403 };
  }
  await putConnection({
    connectionId: event.requestContext.connectionId,
    tenantId: authorized.tenantId,
    principalKind: authorized.principal.kind,
    principalId: authorized.principal.id,
    rights: [...authorized.principal.rights],
    connectedAt: new Date(event.requestContext.connectedAt ?? Date.now()).toISOString(),
  });
  return { statusCode: 200 };
}

async function handleSubscribe(
  connectionId: string,
  message: ClientMessagesByAction['subscribe'],
): Promise<ServerMessage> {
  const connection = await requireConnection(connectionId, 'subscribe');
  const disaster = await getDisaster(connection.tenantId, message.disasterId);
  if (disaster === undefined) {
    throw new MessageError('NOT_FOUND', `No disaster ${message.disasterId} exists in your tenant.`);
  }
  if ((await countSubscriptions(connectionId, message.disasterId)) >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    throw new MessageError(
      'VALIDATION_FAILED',
      `A connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions; unsubscribe from one first.`,
    );
  }
  await subscribe(connection, message.disasterId);
  return {
    type: 'ack',
    action: 'subscribe',
    requestId: message.requestId ?? null,
    disasterId: message.disasterId,
  };
}

async function handleUnsubscribe(
  connectionId: string,
  message: ClientMessagesByAction['unsubscribe'],
): Promise<ServerMessage> {
  const connection = await requireConnection(connectionId, 'unsubscribe');
  await unsubscribe(connectionId, connection.tenantId, message.disasterId);
  return {
    type: 'ack',
    action: 'unsubscribe',
    requestId: message.requestId ?? null,
    disasterId: message.disasterId,
  };
}

/** Runs one message route and returns the reply to post to the connection. */
async function reply(event: WebSocketEvent): Promise<ServerMessage> {
  const { routeKey, connectionId } = event.requestContext;
  let frame: Record<string, unknown> | undefined;
  try {
    frame = parseFrame(event);
    // API Gateway sends only frames without a known action to $default, so every one of them is an error.
    if (!isClientAction(routeKey)) {
      throw new MessageError(
        'VALIDATION_FAILED',
        `Unknown action ${JSON.stringify(frame.action ?? null)}; send one of ${CLIENT_ACTIONS.join(', ')}.`,
      );
    }
    switch (routeKey) {
      case 'subscribe':
        return await handleSubscribe(connectionId, validateMessage('subscribe', frame));
      case 'unsubscribe':
        return await handleUnsubscribe(connectionId, validateMessage('unsubscribe', frame));
      case 'ping': {
        const ping = validateMessage('ping', frame);
        await requireConnection(connectionId, 'ping');
        return { type: 'pong', requestId: ping.requestId ?? null, time: new Date().toISOString() };
      }
    }
  } catch (error) {
    if (error instanceof MessageError) {
      logger.info('websocket message rejected', { code: error.code, detail: error.message });
      return { type: 'error', code: error.code, detail: error.message, requestId: echoedRequestId(frame) };
    }
    logger.error('websocket message failed', { error: error as Error });
    return {
      type: 'error',
      code: 'INTERNAL',
      detail: `The server failed to handle the message; retry later (request ${event.requestContext.requestId ?? 'unknown'}).`,
      requestId: echoedRequestId(frame),
    };
  }
}

export async function handler(event: WebSocketEvent): Promise<WebSocketResult> {
  const { routeKey, connectionId } = event.requestContext;
  logger.appendKeys({ connectionId, routeKey, requestId: event.requestContext.requestId });
  try {
    if (routeKey === '$connect') return await handleConnect(event);
    if (routeKey === '$disconnect') {
      await deleteConnection(connectionId);
      return { statusCode: 200 };
    }
    const answer = await reply(event);
    if ((await postToConnection(connectionId, answer)) === 'gone') await deleteConnection(connectionId);
    return { statusCode: 200 };
  } finally {
    logger.resetKeys();
  }
}

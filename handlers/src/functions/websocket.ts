/**
 * Lambda function `websocket`: every route of the WebSocket API. `$connect` runs after the authorizer verified
 * the token and stores the connection; `subscribe`, `unsubscribe` and `ping` answer through the `@connections`
 * API; `$default` answers unknown or malformed messages with an error; `$disconnect` removes the connection.
 */
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
  body?: string;
}

const ACTIONS = ['subscribe', 'unsubscribe', 'ping'] as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const REQUEST_ID = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A client message that failed a check; its code and detail go back to the client as an `error` message. */
class MessageError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string,
  ) {
    super(message);
  }
}

interface ParsedMessage {
  action: string | undefined;
  disasterId: string | undefined;
  requestId: string | null;
}

/** Parses a frame. Anything but a JSON object is a VALIDATION_FAILED error with requestId null. */
function parseMessage(event: WebSocketEvent): ParsedMessage {
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
      'The message is not JSON; send a JSON object with an action.',
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MessageError('VALIDATION_FAILED', 'The message must be a JSON object with an action.');
  }
  const fields = value as Record<string, unknown>;
  const requestId =
    typeof fields.requestId === 'string' && REQUEST_ID.test(fields.requestId) ? fields.requestId : null;
  return {
    action: typeof fields.action === 'string' ? fields.action : undefined,
    disasterId: typeof fields.disasterId === 'string' ? fields.disasterId : undefined,
    requestId,
  };
}

function requireDisasterId(message: ParsedMessage): string {
  if (message.disasterId === undefined || !UUID.test(message.disasterId)) {
    throw new MessageError(
      'VALIDATION_FAILED',
      `The ${message.action} message needs disasterId, a lower-case UUID.`,
    );
  }
  return message.disasterId;
}

async function requireConnection(connectionId: string): Promise<ConnectionRecord> {
  const connection = await getConnection(connectionId, new Date());
  if (connection === undefined) {
    throw new MessageError(
      'FORBIDDEN',
      'This connection is not registered any more; reconnect with a fresh token.',
    );
  }
  return connection;
}

async function handleConnect(event: WebSocketEvent): Promise<WebSocketResult> {
  const authorized = fromAuthorizerContext(event.requestContext.authorizer);
  if (authorized === null) {
    logger.warn('connect without authorizer context', { connectionId: event.requestContext.connectionId });
    return { statusCode: 401 };
  }
  if (!authorized.principal.rights.has('WebSocket')) {
    logger.warn('connect without the WebSocket right', { principalId: authorized.principal.id });
    return { statusCode: 403 };
  }
  const connectedAt = new Date(event.requestContext.connectedAt ?? Date.now()).toISOString();
  await putConnection({
    connectionId: event.requestContext.connectionId,
    tenantId: authorized.tenantId,
    principalKind: authorized.principal.kind,
    principalId: authorized.principal.id,
    rights: [...authorized.principal.rights],
    connectedAt,
  });
  return { statusCode: 200 };
}

async function handleSubscribe(connectionId: string, message: ParsedMessage): Promise<unknown> {
  const disasterId = requireDisasterId(message);
  const connection = await requireConnection(connectionId);
  if (!connection.rights.includes('WebSocket') || !connection.rights.includes('ActionViewDisaster')) {
    throw new MessageError('FORBIDDEN', 'Subscribing needs the rights WebSocket and ActionViewDisaster.');
  }
  const disaster = await getDisaster(connection.tenantId, disasterId);
  if (disaster === undefined) {
    throw new MessageError('NOT_FOUND', `No disaster ${disasterId} exists in your tenant.`);
  }
  if ((await countSubscriptions(connectionId)) >= MAX_SUBSCRIPTIONS_PER_CONNECTION) {
    throw new MessageError(
      'VALIDATION_FAILED',
      `A connection holds at most ${MAX_SUBSCRIPTIONS_PER_CONNECTION} subscriptions; unsubscribe from one first.`,
    );
  }
  await subscribe(connection, disasterId);
  return { type: 'ack', action: 'subscribe', requestId: message.requestId, disasterId };
}

async function handleUnsubscribe(connectionId: string, message: ParsedMessage): Promise<unknown> {
  const disasterId = requireDisasterId(message);
  const connection = await requireConnection(connectionId);
  await unsubscribe(connectionId, connection.tenantId, disasterId);
  return { type: 'ack', action: 'unsubscribe', requestId: message.requestId, disasterId };
}

/** Runs one message route and returns the reply to post to the connection. */
async function reply(event: WebSocketEvent): Promise<unknown> {
  const { routeKey, connectionId } = event.requestContext;
  let message: ParsedMessage = { action: undefined, disasterId: undefined, requestId: null };
  try {
    message = parseMessage(event);
    // API Gateway sends only unknown actions to $default, so there every action is answered with an error.
    const action = routeKey === '$default' ? `unknown:${message.action ?? ''}` : routeKey;
    switch (action) {
      case 'subscribe':
        return await handleSubscribe(connectionId, message);
      case 'unsubscribe':
        return await handleUnsubscribe(connectionId, message);
      case 'ping':
        return { type: 'pong', requestId: message.requestId, time: new Date().toISOString() };
      default:
        throw new MessageError(
          'VALIDATION_FAILED',
          `Unknown action ${JSON.stringify(message.action ?? null)}; send one of ${ACTIONS.join(', ')}.`,
        );
    }
  } catch (error) {
    if (error instanceof MessageError) {
      return { type: 'error', code: error.code, detail: error.message, requestId: message.requestId };
    }
    logger.error('websocket message failed', { error: error as Error, connectionId, routeKey });
    return {
      type: 'error',
      code: 'INTERNAL',
      detail: `The server failed to handle the message; retry later (request ${event.requestContext.requestId ?? 'unknown'}).`,
      requestId: message.requestId,
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

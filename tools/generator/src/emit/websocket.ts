// The WebSocket API from AsyncAPI 3.0: the route selection expression, one route per client message plus the
// API Gateway routes $connect (with the authorizer), $disconnect and $default, and typed message unions.

import type { AsyncApiModel } from '../inputs/load-asyncapi.js';
import { tsHeader } from '../util/header.js';

const literal = (value: unknown): string => JSON.stringify(value);

export function emitWebSocket(model: AsyncApiModel): string {
  const clientMessages = model.messages
    .filter((message) => message.direction === 'client')
    .sort((a, b) => (a.routeKey ?? '').localeCompare(b.routeKey ?? ''));
  const serverMessages = model.messages
    .filter((message) => message.direction === 'server')
    .sort((a, b) => (a.type ?? '').localeCompare(b.type ?? ''));
  const schemaType = (name: string) => `components['schemas'][${literal(name)}]`;
  const routes = [
    { routeKey: '$connect', authorizer: true, message: null, rights: ['WebSocket'] },
    { routeKey: '$disconnect', authorizer: false, message: null, rights: [] },
    { routeKey: '$default', authorizer: false, message: null, rights: [] },
    ...clientMessages.map((message) => ({
      routeKey: message.routeKey,
      authorizer: false,
      message: message.name,
      rights: message.rights,
    })),
  ];
  const lines = [
    tsHeader(),
    "import type { components } from '../types/openapi.js';",
    '',
    '/** API Gateway evaluates this on every JSON frame; no match (or a non-JSON frame) goes to `$default`. */',
    `export const routeSelectionExpression = ${literal(model.routeSelectionExpression)};`,
    '',
    'export interface WebSocketRouteDefinition {',
    '  readonly routeKey: string;',
    "  readonly function: 'websocket';",
    '  /** True on `$connect` only: API Gateway authorizes WebSocket connections once, during the upgrade. */',
    '  readonly authorizer: boolean;',
    '  /** The client message this route receives (validators: `messages[name]`), or null for the API Gateway routes. */',
    '  readonly message: string | null;',
    '  /** Rights the connection needs for this route (`x-katapp-rights`; `$connect` needs WebSocket). */',
    '  readonly rights: readonly string[];',
    '}',
    '',
    'export const routes = [',
    ...routes.map(
      (route) =>
        `  { routeKey: ${literal(route.routeKey)}, function: 'websocket', authorizer: ${route.authorizer}, message: ${literal(route.message)}, rights: [${route.rights.map(literal).join(', ')}] },`,
    ),
    '] as const satisfies readonly WebSocketRouteDefinition[];',
    '',
    "export type RouteKey = (typeof routes)[number]['routeKey'];",
    '',
    '/** Client → server messages by route key (the `action` the route selection expression reads). */',
    'export interface ClientMessagesByAction {',
    ...clientMessages.map((message) => `  ${literal(message.routeKey)}: ${schemaType(message.schemaName)};`),
    '}',
    'export type ClientAction = keyof ClientMessagesByAction;',
    `export type ClientMessage = ${clientMessages.length === 0 ? 'never' : 'ClientMessagesByAction[ClientAction]'};`,
    '',
    '/** Server → client messages by their `type`. */',
    'export interface ServerMessagesByType {',
    ...serverMessages.map((message) => `  ${literal(message.type)}: ${schemaType(message.schemaName)};`),
    '}',
    'export type ServerMessageType = keyof ServerMessagesByType;',
    `export type ServerMessage = ${serverMessages.length === 0 ? 'never' : 'ServerMessagesByType[ServerMessageType]'};`,
    '',
    '/** Route key → AsyncAPI message name, for `messages[...]` in generated/validators. */',
    'export const clientMessageNames = {',
    ...clientMessages.map((message) => `  ${literal(message.routeKey)}: ${literal(message.name)},`),
    '} as const satisfies Record<ClientAction, string>;',
    '',
    '/** Server message type → AsyncAPI message name. */',
    'export const serverMessageNames = {',
    ...serverMessages.map((message) => `  ${literal(message.type)}: ${literal(message.name)},`),
    '} as const satisfies Record<ServerMessageType, string>;',
    '',
  ];
  return lines.join('\n');
}

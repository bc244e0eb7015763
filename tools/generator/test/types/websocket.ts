// Type test: WebSocket message unions keyed by action (client) and type (server).

import type {
  ClientMessage,
  ClientMessagesByAction,
  RouteKey,
  ServerMessage,
} from './generated/websocket/websocket/index.js';

export const subscribe: ClientMessage = {
  action: 'subscribe',
  disasterId: '0b6f3d4e-2c1a-4f7e-9a55-3c2d1e0f9a87',
};
// @ts-expect-error no route has this action
export const unknownAction: ClientMessage = { action: 'nope' };
// @ts-expect-error subscribe needs a disaster id
export const incomplete: ClientMessagesByAction['subscribe'] = { action: 'subscribe' };

export const pong: ServerMessage = { type: 'pong' };
// @ts-expect-error server messages are selected by type
export const wrongType: ServerMessage = { type: 'ping' };

export const routeKeys: RouteKey[] = ['$connect', '$disconnect', '$default', 'subscribe', 'ping'];
// @ts-expect-error unsubscribe is not a route of this fixture
export const missingRoute: RouteKey = 'unsubscribe';

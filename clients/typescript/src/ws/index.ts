// Entry point of @katapp/client/ws: the live-update WebSocket client.
export type { BackoffOptions } from '../shared/backoff.js';
export type { Observable } from '../shared/observable.js';
export type {
  DisasterChangedEvent,
  KatAppClientMessage,
  KatAppServerMessage,
  PatientChangedEvent,
  TriageCreatedEvent,
} from './messages.js';
export {
  KatAppSocket,
  type KatAppSocketOptions,
  type ResyncInfo,
  type TokenSource,
  type TypedMessage,
  type WebSocketConstructor,
  type WebSocketLike,
} from './socket.js';

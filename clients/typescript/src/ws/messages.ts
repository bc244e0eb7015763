// The KatApp WebSocket messages, taken from the generated AsyncAPI types.
import type { components } from '../../../../generated/types/openapi.js';
import type { ClientMessage, ServerMessage } from '../../../../generated/websocket/index.js';

type Schemas = components['schemas'];

/**
 * Every message the KatApp server sends, discriminated by `type`: the events, `error`, and the replies
 * `ack` (to subscribe and unsubscribe) and `pong` (to ping).
 */
export type KatAppServerMessage = ServerMessage | Schemas['AckMessage'] | Schemas['PongMessage'];

/** Every message a KatApp client sends, discriminated by `action`. */
export type KatAppClientMessage = ClientMessage;

export type DisasterChangedEvent = Schemas['DisasterChangedEvent'];
export type PatientChangedEvent = Schemas['PatientChangedEvent'];
export type TriageCreatedEvent = Schemas['TriageCreatedEvent'];

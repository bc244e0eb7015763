// Entry point of @katapp/client/outbox: the offline outbox and its browser-safe storages.
export type { BackoffOptions } from '../shared/backoff.js';
export type { Observable } from '../shared/observable.js';
export {
  type CapturedPhoto,
  type FlushResult,
  type FlushStop,
  Outbox,
  type OutboxOptions,
  OutboxRejectedError,
} from './outbox.js';
export {
  IndexedDbOutboxStorage,
  MemoryOutboxStorage,
  type OutboxFailure,
  type OutboxPhoto,
  type OutboxRecord,
  type OutboxStorage,
} from './storage.js';
export {
  clientTransport,
  type OutboxClient,
  type OutboxTransport,
  type PhotoDescription,
  PhotoUploadError,
  type PhotoUploadTarget,
  type PresignedRequest,
} from './transport.js';

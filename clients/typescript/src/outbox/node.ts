// Entry point of @katapp/client/outbox/node: outbox storage that needs Node's file system.
export { JsonFileOutboxStorage } from './file-storage.js';

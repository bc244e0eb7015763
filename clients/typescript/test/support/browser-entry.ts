// Everything the browser test page uses, bundled by esbuild into one script that sets `window.KatApp`.
export { createContractClient } from '../../src/core/client.js';
export { KatAppProblemError } from '../../src/core/errors.js';
export { IndexedDbOutboxStorage, Outbox } from '../../src/outbox/index.js';
export { clientTransport } from '../../src/outbox/transport.js';
export { ObservableValue } from '../../src/shared/observable.js';
export { KatAppSocket } from '../../src/ws/socket.js';

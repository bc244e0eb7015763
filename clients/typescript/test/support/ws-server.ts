// A real `ws` server on loopback that speaks the KatApp subscription protocol and can be restarted on its port.
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';

export interface ServerConnection {
  socket: WebSocket;
  token: string | null;
  disasterIds: Set<string>;
  received: unknown[];
}

export interface TestSocketServer {
  url: string;
  port: number;
  connections: ServerConnection[];
  /** Sends an event to every open connection subscribed to the disaster; returns how many got it. */
  broadcast(disasterId: string, event: object): number;
  /** Closes every connection and the listening socket. */
  stop(): Promise<void>;
  /** Listens again on the same port. */
  start(): Promise<void>;
}

export interface TestSocketServerOptions {
  /** When false the server never replies to `ping`, like a connection that died silently. */
  answerPings?: boolean;
  /** Delay before a subscription takes effect and is acknowledged, in milliseconds. */
  ackDelayMs?: number;
  /** Subscriptions to these disasters get an `error` message. */
  rejectDisasterIds?: string[];
  /** Sends every message as a binary frame, as the @connections API can. */
  binaryFrames?: boolean;
}

export async function startSocketServer(options: TestSocketServerOptions = {}): Promise<TestSocketServer> {
  const connections: ServerConnection[] = [];
  const send = (socket: WebSocket, message: object) =>
    socket.send(JSON.stringify(message), { binary: options.binaryFrames === true });
  let server: WebSocketServer | undefined;
  let port = 0;

  async function listen(): Promise<void> {
    const next = new WebSocketServer({ host: '127.0.0.1', port });
    await new Promise<void>((resolve, reject) => {
      next.once('listening', () => resolve());
      next.once('error', reject);
    });
    port = (next.address() as AddressInfo).port;
    next.on('connection', (socket, request) => {
      const token = new URL(request.url ?? '/', 'http://test').searchParams.get('token');
      const connection: ServerConnection = { socket, token, disasterIds: new Set(), received: [] };
      connections.push(connection);
      socket.on('message', (raw) => {
        const message = JSON.parse(raw.toString()) as {
          action: string;
          disasterId?: string;
          requestId?: string;
        };
        connection.received.push(message);
        const { action, disasterId, requestId = null } = message;
        if (action === 'subscribe' && disasterId) {
          if (options.rejectDisasterIds?.includes(disasterId)) {
            send(socket, {
              type: 'error',
              code: 'NOT_FOUND',
              detail: `No disaster ${disasterId}.`,
              requestId,
            });
            return;
          }
          // The subscription counts from the acknowledgement on, as on the real platform.
          setTimeout(() => {
            connection.disasterIds.add(disasterId);
            send(socket, { type: 'ack', action, requestId, disasterId });
          }, options.ackDelayMs ?? 0);
        } else if (action === 'unsubscribe' && disasterId) {
          connection.disasterIds.delete(disasterId);
          send(socket, { type: 'ack', action, requestId, disasterId });
        } else if (action === 'ping' && options.answerPings !== false) {
          send(socket, { type: 'pong', requestId, time: new Date().toISOString() });
        }
      });
    });
    server = next;
  }

  await listen();

  return {
    get url() {
      return `ws://127.0.0.1:${port}/dev`;
    },
    get port() {
      return port;
    },
    connections,
    broadcast(disasterId, event) {
      let sent = 0;
      for (const connection of connections) {
        if (
          connection.socket.readyState === connection.socket.OPEN &&
          connection.disasterIds.has(disasterId)
        ) {
          send(connection.socket, event);
          sent += 1;
        }
      }
      return sent;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      for (const client of current.clients) client.terminate();
      await new Promise<void>((resolve) => current.close(() => resolve()));
    },
    start: listen,
  };
}

/** Polls `predicate` every 10 ms until it holds; fails with `description` after `timeoutMs`. */
export async function waitFor(
  predicate: () => boolean,
  description: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}.`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

// WebSocket client for live updates: token in the query string, per-disaster subscriptions that survive
// reconnects, typed handlers per message `type`, ping keep-alive and an online state.
import { type BackoffOptions, fullJitterDelay, resolveBackoff } from '../shared/backoff.js';
import { type Observable, ObservableValue } from '../shared/observable.js';
import type { KatAppClientMessage, KatAppServerMessage } from './messages.js';

/** The part of the WHATWG WebSocket the client uses; browsers, Node 22+ and the `ws` package provide it. */
export interface WebSocketLike {
  readonly readyState: number;
  /** Set to `arraybuffer` so binary frames can be decoded synchronously, in arrival order. */
  binaryType?: string;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: (event: unknown) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

/** A token, or a function that returns a fresh one before every connection attempt. */
export type TokenSource = string | (() => string | undefined | Promise<string | undefined>);

/** The shape every server message shares: a `type` that selects the handler. */
export interface TypedMessage {
  type: string;
  /** Echoed from the client message that an `ack`, `error` or `pong` replies to. */
  requestId?: string | null;
}

/** Argument of the `onResync` handlers: the window in which events may have been lost. */
export interface ResyncInfo {
  /** When the previous connection was lost. */
  disconnectedAt: Date;
  /** When the server had acknowledged every repeated subscription (or `ackTimeoutMs` passed). */
  reconnectedAt: Date;
  /** The disaster ids that were subscribed again. */
  disasterIds: string[];
}

export interface KatAppSocketOptions {
  /** WebSocket API URL including the stage, such as `wss://ws.example.org/prod` or `ws://127.0.0.1:3001/dev`. */
  url: string;
  /** Sent as `?token=` because browsers cannot set headers on a WebSocket handshake. */
  token: TokenSource;
  /** Defaults to the global `WebSocket` (browsers, Node 22 and newer). */
  WebSocket?: WebSocketConstructor;
  /** Reconnect delays: full jitter between 0 and min(max, base * 2^attempt). Defaults: base 500 ms, max 30 s. */
  reconnect?: BackoffOptions;
  /** Interval of `ping` messages in milliseconds; 0 turns them off. Defaults to 60 s (API Gateway closes idle connections after 10 min). */
  pingIntervalMs?: number;
  /** A connection with no message within this many milliseconds after a ping is replaced. Defaults to 10 s. */
  pongTimeoutMs?: number;
  /** How long `onResync` waits for the replies (`ack` or `error`) to the repeated subscriptions. Defaults to 5 s. */
  ackTimeoutMs?: number;
  /** Receives messages that are not JSON or lack a `type`, and handler exceptions. Defaults to console.warn. */
  onError?: (error: Error) => void;
}

type Handler<M> = (message: M) => void;

const OPEN = 1;

function appendToken(url: string, token: string | undefined): string {
  if (token === undefined) return url;
  const target = new URL(url);
  target.searchParams.set('token', token);
  return target.toString();
}

/**
 * A live-update connection that reconnects until `close()`.
 * @typeParam Server union of the messages the server sends, discriminated by `type`; defaults to the KatApp
 *   contract's messages.
 * @typeParam Client union of the messages the client sends, discriminated by `action`.
 */
export class KatAppSocket<
  Server extends TypedMessage = KatAppServerMessage,
  Client extends { action: string } = KatAppClientMessage,
> {
  readonly #options: KatAppSocketOptions;
  readonly #backoff: ReturnType<typeof resolveBackoff>;
  readonly #WebSocket: WebSocketConstructor;
  readonly #online = new ObservableValue(false);
  readonly #disasterIds = new Set<string>();
  readonly #handlers = new Map<string, Set<Handler<Server>>>();
  readonly #anyHandlers = new Set<Handler<Server>>();
  readonly #resyncHandlers = new Set<Handler<ResyncInfo>>();

  #socket: WebSocketLike | undefined;
  #running = false;
  #attempt = 0;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #disconnectedAt: Date | undefined;
  #connectedBefore = false;
  #requestCounter = 0;
  /** Request ids of repeated subscriptions that the server has not acknowledged yet. */
  readonly #awaitedAnswers = new Set<string>();
  #resyncTimer: ReturnType<typeof setTimeout> | undefined;
  #pendingResync: Omit<ResyncInfo, 'reconnectedAt'> | undefined;

  constructor(options: KatAppSocketOptions) {
    this.#options = options;
    this.#backoff = resolveBackoff(options.reconnect, { baseDelayMs: 500, maxDelayMs: 30_000 });
    const implementation =
      options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!implementation) {
      throw new TypeError(
        'No WebSocket implementation found: pass options.WebSocket (for example from the "ws" package).',
      );
    }
    this.#WebSocket = implementation;
  }

  /** `true` while a connection is open; watch it for an online indicator. */
  get online(): Observable<boolean> {
    return this.#online;
  }

  /** The disaster ids subscribed to, kept across reconnects. */
  get disasterIds(): string[] {
    return [...this.#disasterIds];
  }

  /** Opens the connection and keeps it open (reconnecting after losses) until `close()`. */
  connect(): void {
    if (this.#running) return;
    this.#running = true;
    this.#attempt = 0;
    void this.#open();
  }

  /** Closes the connection and stops reconnecting. Subscriptions and handlers stay for a later `connect()`. */
  close(): void {
    this.#running = false;
    clearTimeout(this.#reconnectTimer);
    clearTimeout(this.#resyncTimer);
    this.#pendingResync = undefined;
    this.#stopKeepAlive();
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(1000, 'client closed');
    this.#markOffline();
  }

  /** Subscribes to the events of one disaster, now if connected and after every reconnect. */
  subscribe(disasterId: string): void {
    if (this.#disasterIds.has(disasterId)) return;
    this.#disasterIds.add(disasterId);
    this.#sendSubscription('subscribe', disasterId);
  }

  unsubscribe(disasterId: string): void {
    if (!this.#disasterIds.delete(disasterId)) return;
    this.#sendSubscription('unsubscribe', disasterId);
  }

  /** Sends a subscribe or unsubscribe message with a fresh request id and returns that id when it was sent. */
  #sendSubscription(action: 'subscribe' | 'unsubscribe', disasterId: string): string | undefined {
    this.#requestCounter += 1;
    const requestId = `${action === 'subscribe' ? 'sub' : 'unsub'}-${this.#requestCounter}`;
    return this.send({ action, disasterId, requestId } as unknown as Client) ? requestId : undefined;
  }

  /** Sends a message if connected and returns whether it was sent (messages are not queued while offline). */
  send(message: Client): boolean {
    const socket = this.#socket;
    if (!socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  /** Registers a handler for one message type. Returns the function that removes it. */
  on<Type extends Server['type']>(type: Type, handler: Handler<Extract<Server, { type: Type }>>): () => void {
    const handlers = this.#handlers.get(type) ?? new Set();
    this.#handlers.set(type, handlers);
    handlers.add(handler as Handler<Server>);
    return () => {
      handlers.delete(handler as Handler<Server>);
    };
  }

  /** Registers a handler for every message. Returns the function that removes it. */
  onMessage(handler: Handler<Server>): () => void {
    this.#anyHandlers.add(handler);
    return () => {
      this.#anyHandlers.delete(handler);
    };
  }

  /**
   * Registers a handler called after each reconnect, once the server acknowledged the repeated subscriptions. Events of the
   * gap are lost, so reload the subscribed disasters over REST here. Not called for the first connection.
   */
  onResync(handler: Handler<ResyncInfo>): () => void {
    this.#resyncHandlers.add(handler);
    return () => {
      this.#resyncHandlers.delete(handler);
    };
  }

  async #open(): Promise<void> {
    let token: string | undefined;
    try {
      const source = this.#options.token;
      token = typeof source === 'function' ? await source() : source;
    } catch (error) {
      this.#report(
        new Error('The WebSocket token source failed; retrying after the backoff delay.', { cause: error }),
      );
      this.#scheduleReconnect();
      return;
    }
    if (!this.#running) return;

    let socket: WebSocketLike;
    try {
      socket = new this.#WebSocket(appendToken(this.#options.url, token));
    } catch (error) {
      this.#report(new Error(`Opening a WebSocket to ${this.#options.url} failed.`, { cause: error }));
      this.#scheduleReconnect();
      return;
    }
    this.#socket = socket;
    if ('binaryType' in socket) socket.binaryType = 'arraybuffer';

    socket.addEventListener('open', () => {
      if (this.#socket !== socket) return;
      this.#handleOpen();
    });
    socket.addEventListener('message', (event) => {
      if (this.#socket !== socket) return;
      this.#handleMessage(event.data);
    });
    socket.addEventListener('close', () => this.#drop(socket));
    // An 'error' event is always followed by 'close', which schedules the reconnect.
    socket.addEventListener('error', () => undefined);
  }

  #handleOpen(): void {
    this.#attempt = 0;
    this.#awaitedAnswers.clear();
    for (const disasterId of this.#disasterIds) {
      const requestId = this.#sendSubscription('subscribe', disasterId);
      if (requestId) this.#awaitedAnswers.add(requestId);
    }
    this.#online.set(true);
    this.#startKeepAlive();

    const disconnectedAt = this.#disconnectedAt;
    this.#disconnectedAt = undefined;
    if (this.#connectedBefore && disconnectedAt) {
      // REST reads made before the server registered the subscriptions could miss events, so the resync
      // waits until every repeated subscription is acknowledged.
      this.#pendingResync = { disconnectedAt, disasterIds: this.disasterIds };
      clearTimeout(this.#resyncTimer);
      this.#resyncTimer = setTimeout(() => this.#finishResync(), this.#options.ackTimeoutMs ?? 5_000);
      if (this.#awaitedAnswers.size === 0) this.#finishResync();
    }
    this.#connectedBefore = true;
  }

  #finishResync(): void {
    clearTimeout(this.#resyncTimer);
    const pending = this.#pendingResync;
    this.#pendingResync = undefined;
    this.#awaitedAnswers.clear();
    if (!pending) return;
    const info: ResyncInfo = { ...pending, reconnectedAt: new Date() };
    for (const handler of [...this.#resyncHandlers]) this.#invoke(handler, info);
  }

  #handleMessage(data: unknown): void {
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;

    // Servers may send JSON in binary frames (the @connections API posts raw bytes); they are UTF-8 text.
    if (typeof Blob !== 'undefined' && data instanceof Blob) {
      // NOTE: only implementations without `binaryType` deliver Blobs; decoding them is asynchronous, so
      // such messages may be handled out of order.
      data.text().then(
        (text) => this.#handleMessage(text),
        (error: unknown) =>
          this.#report(new Error('Reading a binary WebSocket message failed.', { cause: error })),
      );
      return;
    }
    const text =
      data instanceof ArrayBuffer || ArrayBuffer.isView(data) ? new TextDecoder().decode(data) : String(data);

    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch (error) {
      this.#report(
        new Error(`Received a WebSocket message that is not JSON: ${text.slice(0, 80)}`, {
          cause: error,
        }),
      );
      return;
    }
    if (
      typeof message !== 'object' ||
      message === null ||
      typeof (message as TypedMessage).type !== 'string'
    ) {
      this.#report(new Error(`Received a WebSocket message without a "type": ${text.slice(0, 80)}`));
      return;
    }
    const typed = message as Server;
    if (typed.type === 'error') {
      this.#report(new Error(`The server rejected a WebSocket message: ${text.slice(0, 300)}`));
    }
    if (typeof typed.requestId === 'string' && this.#awaitedAnswers.delete(typed.requestId)) {
      if (this.#awaitedAnswers.size === 0) this.#finishResync();
    }
    for (const handler of [...(this.#handlers.get(typed.type) ?? [])]) this.#invoke(handler, typed);
    for (const handler of [...this.#anyHandlers]) this.#invoke(handler, typed);
  }

  #invoke<T>(handler: Handler<T>, value: T): void {
    try {
      handler(value);
    } catch (error) {
      this.#report(new Error('A WebSocket message handler threw.', { cause: error }));
    }
  }

  /** Forgets a lost connection and schedules the next attempt; later events of that socket are ignored. */
  #drop(socket: WebSocketLike): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    clearTimeout(this.#resyncTimer);
    this.#pendingResync = undefined;
    this.#stopKeepAlive();
    this.#markOffline();
    this.#scheduleReconnect();
  }

  #markOffline(): void {
    if (this.#online.get()) this.#disconnectedAt = new Date();
    this.#online.set(false);
  }

  #scheduleReconnect(): void {
    if (!this.#running) return;
    clearTimeout(this.#reconnectTimer);
    const delay = fullJitterDelay(this.#attempt, this.#backoff);
    this.#attempt += 1;
    this.#reconnectTimer = setTimeout(() => void this.#open(), delay);
  }

  #startKeepAlive(): void {
    const interval = this.#options.pingIntervalMs ?? 60_000;
    if (interval <= 0) return;
    const timeout = this.#options.pongTimeoutMs ?? 10_000;
    this.#pingTimer = setInterval(() => {
      this.#requestCounter += 1;
      const ping = { action: 'ping', requestId: `ping-${this.#requestCounter}` };
      if (!this.send(ping as unknown as Client)) return;
      clearTimeout(this.#pongTimer);
      // Any message clears this timer. Silence means the connection died without a close frame, and a close
      // handshake on it would wait for the dead peer, so the socket is dropped at once.
      this.#pongTimer = setTimeout(() => {
        const socket = this.#socket;
        if (!socket) return;
        this.#drop(socket);
        socket.close(4000, 'ping timeout');
      }, timeout);
    }, interval);
  }

  #stopKeepAlive(): void {
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = undefined;
    this.#pongTimer = undefined;
  }

  #report(error: Error): void {
    if (this.#options.onError) this.#options.onError(error);
    else console.warn(`[katapp] ${error.message}`, error.cause ?? '');
  }
}

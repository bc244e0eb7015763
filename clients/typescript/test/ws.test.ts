// WebSocket client against a real `ws` server that the tests stop and restart on the same port.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket as WsWebSocket } from 'ws';
import { fullJitterDelay } from '../src/shared/backoff.js';
import { KatAppSocket, type WebSocketConstructor } from '../src/ws/socket.js';
import { startSocketServer, type TestSocketServer, waitFor } from './support/ws-server.js';

type ServerMessage =
  | { type: 'ack'; action: 'subscribe' | 'unsubscribe'; requestId: string | null; disasterId?: string }
  | { type: 'error'; code: string; detail: string; requestId?: string | null }
  | { type: 'pong'; requestId: string | null; time: string }
  | { type: 'triage.created'; disasterId: string; triageId: string };

const fast = { baseDelayMs: 20, maxDelayMs: 200 };

describe('KatAppSocket', () => {
  let server: TestSocketServer | undefined;
  let socket: KatAppSocket<ServerMessage> | undefined;

  afterEach(async () => {
    socket?.close();
    await server?.stop();
    socket = undefined;
    server = undefined;
  });

  it('reconnects, re-subscribes and receives the next event', async () => {
    server = await startSocketServer();
    const live = server;
    let tokenCalls = 0;
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: () => `token-${++tokenCalls}`,
      reconnect: fast,
    });
    const onlineStates: boolean[] = [];
    const triageIds: string[] = [];
    const resyncs: string[][] = [];
    socket.online.subscribe((online) => onlineStates.push(online));
    socket.on('triage.created', (event) => triageIds.push(event.triageId));
    socket.onResync((info) => resyncs.push(info.disasterIds));

    socket.connect();
    socket.subscribe('d1');
    await waitFor(() => live.connections[0]?.disasterIds.has('d1') === true, 'the first subscription');
    expect(live.connections[0]?.token).toBe('token-1');
    expect(live.broadcast('d1', { type: 'triage.created', disasterId: 'd1', triageId: 't1' })).toBe(1);
    await waitFor(() => triageIds.length === 1, 'the first event');

    await live.stop();
    await waitFor(() => socket?.online.get() === false, 'the offline state');
    await live.start();

    await waitFor(
      () => live.connections[1]?.disasterIds.has('d1') === true,
      'the subscription after reconnect',
    );
    expect(live.connections[1]?.token).toBe(`token-${tokenCalls}`);
    expect(tokenCalls).toBeGreaterThanOrEqual(2);
    await waitFor(() => resyncs.length === 1, 'the resync call');
    expect(resyncs[0]).toEqual(['d1']);
    expect(live.broadcast('d1', { type: 'triage.created', disasterId: 'd1', triageId: 't2' })).toBe(1);
    await waitFor(() => triageIds.length === 2, 'the event after reconnect');
    expect(triageIds).toEqual(['t1', 't2']);
    expect(onlineStates).toEqual([true, false, true]);
    expect(socket.online.get()).toBe(true);
  });

  it('calls onResync after the subscriptions are acknowledged', async () => {
    server = await startSocketServer({ ackDelayMs: 150 });
    const live = server;
    socket = new KatAppSocket<ServerMessage>({ url: live.url, token: 't', reconnect: fast });
    const subscribedAtResync: boolean[] = [];
    socket.onResync(() => subscribedAtResync.push(live.connections[1]?.disasterIds.has('d1') === true));
    socket.connect();
    socket.subscribe('d1');
    await waitFor(() => live.connections[0]?.disasterIds.has('d1') === true, 'the first subscription');

    await live.stop();
    await live.start();

    await waitFor(() => subscribedAtResync.length === 1, 'the resync call');
    expect(subscribedAtResync).toEqual([true]);
    expect(live.connections[1]?.received[0]).toEqual({
      action: 'subscribe',
      disasterId: 'd1',
      requestId: expect.stringMatching(/^sub-\d+$/),
    });
  });

  it('reports a rejected subscription', async () => {
    server = await startSocketServer({ rejectDisasterIds: ['other-tenant'] });
    const live = server;
    const errors: Error[] = [];
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 't',
      onError: (error) => errors.push(error),
    });
    socket.connect();
    await waitFor(() => socket?.online.get() === true, 'the connection');
    socket.subscribe('other-tenant');
    await waitFor(() => errors.length === 1, 'the error report');
    expect(errors[0]?.message).toContain('The server rejected a WebSocket message');
    expect(errors[0]?.message).toContain('NOT_FOUND');
  });

  it.each([
    ['global WebSocket', undefined],
    ['ws package', WsWebSocket as unknown as WebSocketConstructor],
  ])('decodes binary frames with the %s', async (_label, implementation) => {
    server = await startSocketServer({ binaryFrames: true });
    const live = server;
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 't',
      ...(implementation ? { WebSocket: implementation } : {}),
    });
    const triageIds: string[] = [];
    socket.on('triage.created', (event) => triageIds.push(event.triageId));
    socket.connect();
    socket.subscribe('d1');
    await waitFor(() => live.connections[0]?.disasterIds.has('d1') === true, 'the subscription');
    for (const triageId of ['t1', 't2', 't3'])
      live.broadcast('d1', { type: 'triage.created', disasterId: 'd1', triageId });
    await waitFor(() => triageIds.length === 3, 'three events');
    expect(triageIds).toEqual(['t1', 't2', 't3']);
  });

  it('works with an injected ws constructor', async () => {
    server = await startSocketServer();
    const live = server;
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 'static',
      WebSocket: WsWebSocket as unknown as WebSocketConstructor,
      reconnect: fast,
    });
    const subscribed: string[] = [];
    socket.on('ack', (message) => subscribed.push(message.disasterId ?? ''));
    socket.connect();
    await waitFor(() => socket?.online.get() === true, 'the connection');
    socket.subscribe('d9');
    await waitFor(() => subscribed.length === 1, 'the subscription acknowledgement');
    expect(subscribed).toEqual(['d9']);
    expect(live.connections[0]?.token).toBe('static');
  });

  it('stops sending events after unsubscribe', async () => {
    server = await startSocketServer();
    const live = server;
    socket = new KatAppSocket<ServerMessage>({ url: live.url, token: 't', reconnect: fast });
    socket.connect();
    socket.subscribe('d1');
    await waitFor(() => live.connections[0]?.disasterIds.has('d1') === true, 'the subscription');
    socket.unsubscribe('d1');
    await waitFor(() => live.connections[0]?.disasterIds.size === 0, 'the unsubscription');
    expect(socket.disasterIds).toEqual([]);
  });

  it('replaces a connection that stops answering pings', async () => {
    server = await startSocketServer({ answerPings: false });
    const live = server;
    const errors: Error[] = [];
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 't',
      reconnect: fast,
      pingIntervalMs: 50,
      pongTimeoutMs: 50,
      onError: (error) => errors.push(error),
    });
    socket.connect();
    await waitFor(() => live.connections.length >= 2, 'a second connection after the ping timeout');
    expect(live.connections[0]?.received).toContainEqual({
      action: 'ping',
      requestId: expect.stringMatching(/^ping-/),
    });
    expect(errors).toEqual([]);
  });

  it('keeps a connection that answers pings', async () => {
    server = await startSocketServer();
    const live = server;
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 't',
      pingIntervalMs: 30,
      pongTimeoutMs: 200,
    });
    socket.connect();
    await waitFor(() => (live.connections[0]?.received.length ?? 0) >= 5, 'five pings');
    expect(live.connections).toHaveLength(1);
  });

  it('reports messages that are not JSON', async () => {
    server = await startSocketServer();
    const live = server;
    const errors: Error[] = [];
    socket = new KatAppSocket<ServerMessage>({
      url: live.url,
      token: 't',
      onError: (error) => errors.push(error),
    });
    socket.connect();
    await waitFor(() => live.connections.length === 1 && socket?.online.get() === true, 'the connection');
    live.connections[0]?.socket.send('hello');
    await waitFor(() => errors.length === 1, 'the error report');
    expect(errors[0]?.message).toBe('Received a WebSocket message that is not JSON: hello');
  });

  it('keeps retrying while the server is down', async () => {
    server = await startSocketServer();
    const live = server;
    await live.stop();
    socket = new KatAppSocket<ServerMessage>({ url: live.url, token: 't', reconnect: fast });
    socket.connect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(socket.online.get()).toBe(false);
    await live.start();
    await waitFor(() => socket?.online.get() === true, 'the connection once the server is up');
  });
});

describe('fullJitterDelay', () => {
  const options = { baseDelayMs: 100, maxDelayMs: 1_000, random: () => 0.999 };

  it.each([
    [0, 99],
    [1, 199],
    [3, 799],
    [4, 999],
    [40, 999],
  ])('caps attempt %i at %i ms', (attempt, expected) => {
    expect(fullJitterDelay(attempt, options)).toBe(expected);
  });

  it('can be zero', () => {
    expect(fullJitterDelay(5, { ...options, random: () => 0 })).toBe(0);
  });
});

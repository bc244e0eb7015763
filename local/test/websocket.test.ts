// The local WebSocket API: $connect during the handshake, route selection, limits, timeouts and the
// @connections management API, plus parity of the events with test/fixtures/events/ws-*.json.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { compareWithShape } from './support/compare.js';
import { type FixturePlatform, startFixturePlatform } from './support/fixture-platform.js';

const EVENTS_DIR = fileURLToPath(new URL('./fixtures/events', import.meta.url));
const shape = (name: string) =>
  (JSON.parse(readFileSync(`${EVENTS_DIR}/${name}.json`, 'utf8')) as { expected: unknown }).expected;

let platform: FixturePlatform;

beforeAll(async () => {
  // The idle timeout is short so the idle test is quick, but long enough for cold starts on a busy machine.
  platform = await startFixturePlatform({ websocket: { idleTimeoutMs: 6000 } });
});

afterAll(async () => {
  await platform?.dispose();
});

interface Printed {
  routeKey: string;
  connectionId: string;
  body?: string;
  event: Record<string, unknown>;
}

function printedEvents(): Printed[] {
  return platform.printed('Websocket') as unknown as Printed[];
}

/** Opens a connection; resolves with the socket once open, or with the handshake's HTTP status. */
function connect(
  query: string,
  protocols?: string[],
): Promise<{ socket?: WebSocket; status?: number; error?: Error }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`${platform.urls.websocket}?${query}`, protocols);
    socket.once('open', () => resolve({ socket }));
    socket.once('unexpected-response', (_request, response) => resolve({ status: response.statusCode }));
    socket.once('error', (error) => resolve({ error }));
  });
}

function nextMessage(socket: WebSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    socket.once('message', (data) => resolve(data.toString()));
    socket.once('close', (code) =>
      reject(new Error(`The connection closed with ${code} before a message arrived`)),
    );
  });
}

function closed(socket: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('Condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function openConnection(): Promise<{ socket: WebSocket; connectionId: string }> {
  const before = new Set(printedEvents().map((event) => event.connectionId));
  const { socket } = await connect('token=allow');
  if (!socket) {
    throw new Error('connection failed');
  }
  const connectionId = await waitFor(
    () =>
      printedEvents().find((event) => event.routeKey === '$connect' && !before.has(event.connectionId))
        ?.connectionId,
  );
  return { socket, connectionId };
}

describe('$connect', () => {
  it('401 from $connect fails the handshake', async () => {
    const result = await connect('token=allow&status=401&marker=reject401');
    expect(result.status).toBe(401);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const rejected = printedEvents().filter((event) => JSON.stringify(event.event).includes('reject401'));
    expect(rejected.map((event) => event.routeKey)).toEqual(['$connect']);
    const id = rejected[0]?.connectionId;
    expect(
      printedEvents().filter((event) => event.connectionId === id && event.routeKey !== '$connect'),
    ).toEqual([]);
  });

  it('missing identity answers 401 without $connect', async () => {
    const before = printedEvents().length;
    const result = await connect('marker=noidentity');
    expect(result.status).toBe(401);
    expect(printedEvents().length).toBe(before);
  });

  it('authorizer deny answers 403', async () => {
    expect((await connect('token=deny')).status).toBe(403);
  });

  it('wrong stage answers 403', async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = new WebSocket(platform.urls.websocket.replace('/dev', '/prod'));
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    });
    expect(status).toBe(403);
  });

  it('frames wait for a slow $connect', async () => {
    const started = Date.now();
    const { socket } = await connect('token=allow&delayMs=800');
    expect(Date.now() - started).toBeGreaterThanOrEqual(750);
    socket?.send(JSON.stringify({ action: 'echo', n: 'after-slow-connect' }));
    const reply = JSON.parse(await nextMessage(socket as WebSocket)) as { echoed: { n: string } };
    expect(reply.echoed.n).toBe('after-slow-connect');
    socket?.close();
  });

  it('no subprotocol unless $connect returns one', async () => {
    const refused = await connect('token=allow', ['graphql-transport-ws']);
    expect(refused.error?.message).toBe('Server sent no subprotocol');
    const accepted = await connect('token=allow&protocol=graphql-transport-ws', ['graphql-transport-ws']);
    expect(accepted.socket?.protocol).toBe('graphql-transport-ws');
    accepted.socket?.close();
  });
});

describe('route selection', () => {
  it('routes messages and sends route responses', async () => {
    const { socket, connectionId } = await openConnection();
    expect(connectionId).toMatch(/^[A-Za-z0-9_-]{15}=$/);
    socket.send('hello');
    socket.send(JSON.stringify({ action: 'nope' }));
    socket.send(JSON.stringify({ action: '$disconnect' }));
    socket.send(JSON.stringify({ action: 'echo', n: 1 }));
    const reply = JSON.parse(await nextMessage(socket)) as { echoed: unknown; connectionId: string };
    expect(reply).toEqual({ echoed: { action: 'echo', n: 1 }, connectionId });
    const routes = await waitFor(() => {
      const found = printedEvents().filter((event) => event.connectionId === connectionId);
      return found.length >= 5 ? found : undefined;
    });
    const byBody = Object.fromEntries(routes.map((event) => [event.body ?? '', event.routeKey]));
    expect(byBody.hello).toBe('$default');
    expect(byBody['{"action":"nope"}']).toBe('$default');
    expect(byBody['{"action":"$disconnect"}']).toBe('$default');
    expect(byBody['{"action":"echo","n":1}']).toBe('echo');
    socket.close(1000, 'bye');
    await waitFor(() =>
      printedEvents().find(
        (event) => event.connectionId === connectionId && event.routeKey === '$disconnect',
      ),
    );
  });

  it('events match the documented shapes', async () => {
    const { socket, connectionId } = await openConnection();
    socket.send(JSON.stringify({ action: 'echo', n: 1 }));
    await nextMessage(socket);
    socket.close(1000, 'bye');
    const events = await waitFor(() => {
      const found = printedEvents().filter((event) => event.connectionId === connectionId);
      return found.length >= 3 ? found : undefined;
    });
    const byRoute = Object.fromEntries(events.map((event) => [event.routeKey, event.event]));
    expect(compareWithShape(shape('ws-connect'), byRoute.$connect)).toEqual([]);
    expect(compareWithShape(shape('ws-message'), byRoute.echo)).toEqual([]);
    expect(compareWithShape(shape('ws-disconnect'), byRoute.$disconnect)).toEqual([]);
  });
});

describe('limits and timeouts', () => {
  it('frame over 32 KB closes with 1009', async () => {
    const { socket } = await openConnection();
    const done = closed(socket);
    socket.send('x'.repeat(33 * 1024));
    expect((await done).code).toBe(1009);
  });

  it('fragmented 100 KB message is accepted', async () => {
    const { socket } = await openConnection();
    const fragment = 'y'.repeat(16 * 1024);
    for (let index = 0; index < 6; index += 1) {
      socket.send(fragment, { fin: false });
    }
    socket.send(JSON.stringify({ action: 'echo', n: 2 }).padEnd(100, ' '), { fin: true });
    socket.send(JSON.stringify({ action: 'echo', n: 3 }));
    const reply = JSON.parse(await nextMessage(socket)) as { echoed: { n: number } };
    expect(reply.echoed.n).toBe(3);
    socket.close();
  });

  it('message over 128 KB closes with 1009', async () => {
    const { socket } = await openConnection();
    const done = closed(socket);
    const fragment = 'z'.repeat(30 * 1024);
    for (let index = 0; index < 5; index += 1) {
      socket.send(fragment, { fin: index === 4 });
    }
    expect((await done).code).toBe(1009);
  });

  it('idle connection closes with 1001', async () => {
    const { socket, connectionId } = await openConnection();
    const result = await closed(socket);
    expect(result.code).toBe(1001);
    await waitFor(() =>
      printedEvents().find(
        (event) => event.connectionId === connectionId && event.routeKey === '$disconnect',
      ),
    );
  });
});

describe('@connections API', () => {
  const management = () =>
    new ApiGatewayManagementApiClient({
      endpoint: platform.urls.connections,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });

  it('POST, GET and DELETE an open connection', async () => {
    const { socket, connectionId } = await openConnection();
    const url = `${platform.urls.connections}/@connections/${encodeURIComponent(connectionId)}`;
    const received = nextMessage(socket);
    const post = await fetch(url, { method: 'POST', body: 'pushed' });
    expect(post.status).toBe(200);
    expect(await received).toBe('pushed');

    const get = await fetch(url);
    expect(get.status).toBe(200);
    const info = (await get.json()) as {
      connectedAt: string;
      lastActiveAt: string;
      identity: { sourceIp: string };
    };
    expect(Date.parse(info.connectedAt)).not.toBeNaN();
    expect(Date.parse(info.lastActiveAt)).not.toBeNaN();
    expect(info.identity.sourceIp).toBe('127.0.0.1');

    const done = closed(socket);
    const del = await fetch(url, { method: 'DELETE' });
    expect(del.status).toBe(204);
    await done;
    const after = await fetch(url, { method: 'POST', body: 'late' });
    expect(after.status).toBe(410);
    expect(after.headers.get('x-amzn-errortype')).toBe('GoneException');
  });

  it('never-used id is GoneException in the SDK', async () => {
    const error = await management()
      .send(new PostToConnectionCommand({ ConnectionId: 'AAAAAAAAAAAAAAA=', Data: 'x' }))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GoneException);
  });

  it('malformed id answers 400', async () => {
    const response = await fetch(`${platform.urls.connections}/@connections/not-an-id`, {
      method: 'POST',
      body: 'x',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('x-amzn-errortype')).toBe('BadRequestException');
  });

  it('wrong stage answers 403', async () => {
    const response = await fetch(
      `${platform.urls.connections.replace('/dev', '/prod')}/@connections/AAAAAAAAAAAAAAA=`,
      {
        method: 'POST',
        body: 'x',
      },
    );
    expect(response.status).toBe(403);
  });

  it('payload over 128 KB answers 413', async () => {
    const { socket, connectionId } = await openConnection();
    const response = await fetch(
      `${platform.urls.connections}/@connections/${encodeURIComponent(connectionId)}`,
      {
        method: 'POST',
        body: Buffer.alloc(128 * 1024 + 1),
      },
    );
    expect(response.status).toBe(413);
    socket.close();
  });
});

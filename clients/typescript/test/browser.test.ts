// The SDK inside headless Chromium: REST calls, the outbox on real IndexedDB across a page reload, and the
// WebSocket client through a server restart. Requests to anything but loopback are aborted.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as BrowserEntry from './support/browser-entry.js';
import { startTriageServer, type TriageServer } from './support/triage-server.js';
import { startSocketServer, type TestSocketServer, waitFor } from './support/ws-server.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

type KatAppGlobal = typeof BrowserEntry;
declare global {
  interface Window {
    KatApp: KatAppGlobal;
    socketState: { online: boolean[]; events: string[]; resyncs: number; acks: number };
  }
}

const triageOperations = [
  {
    operationId: 'uploadTriage',
    method: 'PUT' as const,
    path: '/triages/{triageId}',
    parameters: [{ name: 'triageId', in: 'path' as const }],
    requestContentTypes: ['application/json'],
    public: false,
  },
];

async function bundleSdk(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./support/browser-entry.ts', import.meta.url).pathname],
    bundle: true,
    format: 'iife',
    globalName: 'KatApp',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

function isLoopback(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return (
    protocol === 'data:' || protocol === 'about:' || hostname === '127.0.0.1' || hostname === 'localhost'
  );
}

if (!existsSync(CHROMIUM)) {
  console.info(
    `Skipping the browser tests: ${CHROMIUM} is missing (tools/bootstrap/ensure-chromium.sh installs it).`,
  );
}

describe.skipIf(!existsSync(CHROMIUM))('SDK in Chromium', () => {
  let server: TriageServer;
  let sockets: TestSocketServer;
  let browser: Browser;
  let page: Page;
  const blocked: string[] = [];

  beforeAll(async () => {
    server = await startTriageServer({
      '/': {
        contentType: 'text/html',
        body: '<!doctype html><title>sdk</title><script src="/sdk.js"></script>',
      },
      '/sdk.js': { contentType: 'text/javascript', body: await bundleSdk() },
      '/pong': { contentType: 'text/plain; charset=utf-8', body: 'pong' },
    });
    sockets = await startSocketServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage();
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (isLoopback(url)) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    await page.goto(`${server.baseUrl}/`);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await sockets?.stop();
    await server?.stop();
  });

  it('parses text and encodes path segments', async () => {
    const result = await page.evaluate(async () => {
      const client = window.KatApp.createContractClient<Record<string, never>>({
        baseUrl: location.origin,
        operations: [],
      });
      const call = client.GET as unknown as (path: string, init?: object) => Promise<{ data: unknown }>;
      const { data } = await call('/pong');
      const error = await call('/triages/{triageId}', { params: { path: { triageId: '/foo?bar' } } }).catch(
        (caught: unknown) => caught,
      );
      return {
        data,
        isProblem: error instanceof window.KatApp.KatAppProblemError,
        status: (error as { status?: number }).status,
      };
    });

    expect(result).toEqual({ data: 'pong', isProblem: true, status: 404 });
    expect(server.server?.requests.at(-1)?.rawUrl).toBe('/triages/%2Ffoo%3Fbar');
  });

  it('keeps the outbox in IndexedDB across a reload', async () => {
    const disasterId = randomUUID();
    const triages = Array.from({ length: 10 }, (_, index) => ({
      id: randomUUID(),
      body: {
        disasterId,
        cardCode: String(4006381330000 + (index % 2)),
        capturedAt: new Date(Date.parse('2025-06-14T09:00:00Z') + index * 60_000).toISOString(),
        category: 'yellow',
      },
    }));
    const shuffled = [...triages].sort(() => Math.random() - 0.5);

    const pending = await page.evaluate(
      async ({ queue, operations }) => {
        const { createContractClient, clientTransport, IndexedDbOutboxStorage, ObservableValue, Outbox } =
          window.KatApp;
        const client = createContractClient({ baseUrl: location.origin, operations });
        const outbox = new Outbox({
          transport: clientTransport(client as never),
          storage: new IndexedDbOutboxStorage('katapp-browser-test'),
          online: new ObservableValue(false),
          onError: () => undefined,
        });
        for (const triage of queue) await outbox.enqueue(triage.id, triage.body);
        return outbox.pending.get();
      },
      { queue: shuffled, operations: triageOperations },
    );
    expect(pending).toBe(10);
    expect(server.state.uploadAttempts).toBe(0);

    await page.reload();
    const result = await page.evaluate(async (operations) => {
      const { createContractClient, clientTransport, IndexedDbOutboxStorage, Outbox } = window.KatApp;
      const client = createContractClient({ baseUrl: location.origin, operations });
      const outbox = new Outbox({
        transport: clientTransport(client as never),
        storage: new IndexedDbOutboxStorage('katapp-browser-test'),
        onError: () => undefined,
      });
      return await outbox.flush();
    }, triageOperations);

    expect(result).toEqual({ uploadedTriages: 10, uploadedPhotos: 0, deadLettered: 0 });
    for (const cardCode of ['4006381330000', '4006381330001']) {
      const expected = triages
        .filter((triage) => triage.body.cardCode === cardCode)
        .map((triage) => triage.id);
      expect(server.state.arrivals.get(cardCode)).toEqual(expected);
    }
  });

  it('reconnects the WebSocket after a server restart', async () => {
    await page.evaluate((url) => {
      const state = { online: [] as boolean[], events: [] as string[], resyncs: 0, acks: 0 };
      window.socketState = state;
      const socket = new window.KatApp.KatAppSocket<
        { type: 'ack'; requestId: string | null } | { type: 'triage.created'; triageId: string }
      >({ url, token: 'browser-token', reconnect: { baseDelayMs: 50, maxDelayMs: 200 } });
      socket.online.subscribe((online) => state.online.push(online));
      socket.on('triage.created', (event) => state.events.push(event.triageId));
      socket.on('ack', () => {
        state.acks += 1;
      });
      socket.onResync(() => {
        state.resyncs += 1;
      });
      socket.connect();
      socket.subscribe('d1');
    }, sockets.url);

    await page.waitForFunction(() => window.socketState.acks === 1);
    expect(sockets.connections[0]?.token).toBe('browser-token');
    sockets.broadcast('d1', { type: 'triage.created', disasterId: 'd1', triageId: 'before' });
    await page.waitForFunction(() => window.socketState.events.length === 1);

    await sockets.stop();
    await page.waitForFunction(() => window.socketState.online.at(-1) === false);
    await sockets.start();
    await page.waitForFunction(() => window.socketState.resyncs === 1, undefined, { timeout: 10_000 });
    await waitFor(() => sockets.connections[1]?.disasterIds.has('d1') === true, 'the repeated subscription');
    sockets.broadcast('d1', { type: 'triage.created', disasterId: 'd1', triageId: 'after' });
    await page.waitForFunction(() => window.socketState.events.length === 2);

    const state = await page.evaluate(() => window.socketState);
    expect(state.events).toEqual(['before', 'after']);
    expect(state.online).toEqual([true, false, true]);
    expect(blocked).toEqual([]);
  });
});

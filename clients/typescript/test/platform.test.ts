// The SDK against the local platform (startPlatform from local/src): real gateway, Lambda handlers,
// DynamoDB Local, s3rver and the WebSocket gateway, booted from the synthesized template.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryTokenStore } from '../src/core/auth.js';
import { KatAppProblemError } from '../src/core/errors.js';
import { createKatAppClient, type KatAppClient, type Schemas } from '../src/katapp.js';
import { Outbox } from '../src/outbox/outbox.js';
import { clientTransport } from '../src/outbox/transport.js';
import type { KatAppServerMessage } from '../src/ws/messages.js';
import { KatAppSocket } from '../src/ws/socket.js';
import { type PackedConsumer, preparePackedConsumer, repositoryRoot } from './support/packed-consumer.js';
import { waitFor } from './support/ws-server.js';

const templatePath = join(repositoryRoot, 'infra/cdk.out/KatApp-dev.template.json');
// `make sdk-test-live` builds the template first and sets this, so a missing template fails there.
const required = process.env.KATAPP_SDK_LIVE === '1';
const available = existsSync(templatePath);
if (!available && !required) {
  console.info(`Skipping the local-platform tests: ${templatePath} does not exist (run make sdk-test-live).`);
}

interface Platform {
  urls: { rest: string; websocket: string };
  demo?: {
    admin: { email: string; password: string };
    dashboardUser: { email: string; password: string };
  };
  restartWebSocket(): Promise<void>;
  stop(): Promise<void>;
}

type TriageUpload = Record<string, unknown>;

/** Returns a random 15-digit IMEI whose last digit is the Luhn check digit, as on real phones. */
function randomImei(): string {
  const digits = Array.from({ length: 14 }, (_, index) => (index === 0 ? 3 : Math.floor(Math.random() * 10)));
  const sum = digits.reduce((total, digit, index) => {
    const weighted = index % 2 === 1 ? digit * 2 : digit;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
  return `${digits.join('')}${(10 - (sum % 10)) % 10}`;
}

/** 100 triages of 20 patients, five each one minute apart, captured during the last hour. */
function captureTriages(disasterId: string, firstCapture: number): { id: string; body: TriageUpload }[] {
  const categories = [
    { category: 'green', decidingCriterion: 'patient-ambulant' },
    { category: 'yellow', decidingCriterion: 'no-criterion-applies' },
    { category: 'red', decidingCriterion: 'respiratory-rate-abnormal' },
  ];
  const cardBase = 4_100_000_000_000 + Math.floor(Math.random() * 1_000_000) * 100;
  const triages: { id: string; body: TriageUpload }[] = [];
  for (let patient = 0; patient < 20; patient += 1) {
    for (let round = 0; round < 5; round += 1) {
      triages.push({
        id: randomUUID(),
        body: {
          disasterId,
          cardCode: String(cardBase + patient),
          capturedAt: new Date(firstCapture + round * 60_000 + patient * 1_000).toISOString(),
          stage: round < 2 ? 'incident' : 'treatment-area',
          ...categories[(patient + round) % 3],
          algorithm: 'mSTaRT',
          kind: 'pre-triage',
          ageGroup: 'adult',
        },
      });
    }
  }
  return triages;
}

async function listAll<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | null }>,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

describe.skipIf(!available && !required)('local platform', () => {
  let platform: Platform;
  let dataDir: string;
  let device: KatAppClient;
  let dashboard: KatAppClient;
  let deviceOffline = false;
  let disasterId: string;

  beforeAll(async () => {
    if (!available)
      throw new Error(`${templatePath} does not exist; run make sdk-test-live, which synthesizes it.`);
    const { startPlatform } = (await import(join(repositoryRoot, 'local/src/platform.ts'))) as {
      startPlatform: (options: object) => Promise<Platform>;
    };
    dataDir = mkdtempSync(join(tmpdir(), 'katapp-sdk-platform-'));
    platform = await startPlatform({
      ports: 0,
      dataDir,
      fresh: true,
      sites: false,
      functionOutput: () => undefined,
    });
    const demo = platform.demo;
    if (!demo)
      throw new Error('The local platform seeded no demo tenant; the tests need its device and users.');

    // A tenant admin registers a phone and creates its device token, as in the tenant console.
    const admin = createKatAppClient({ baseUrl: platform.urls.rest });
    await admin.login(demo.admin.email, demo.admin.password);
    const imei = randomImei();
    const { data: registered } = await admin.POST('/devices', {
      body: { imei, name: 'SDK test phone', os: 'android', roleId: 'DeviceUser', userName: null },
    });
    const { data: grant } = await admin.POST('/devices/{deviceId}/token', {
      params: { path: { deviceId: registered.id } },
    });

    // The device's fetch fails while `deviceOffline` is set, like a phone without a network.
    device = createKatAppClient({
      baseUrl: platform.urls.rest,
      fetch: (request) => (deviceOffline ? Promise.reject(new TypeError('fetch failed')) : fetch(request)),
    });
    await device.exchangeDeviceToken(grant.deviceToken, imei);
    dashboard = createKatAppClient({ baseUrl: platform.urls.rest });
    await dashboard.login(demo.dashboardUser.email, demo.dashboardUser.password);

    const { data: disaster } = await device.POST('/disasters', {
      body: {
        name: `SDK test ${randomUUID().slice(0, 8)}`,
        mode: 'test',
        position: { lat: 50.0379, lon: 8.5622, accuracyMeters: null },
        radiusKm: 1.5,
        startedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(),
      },
    });
    disasterId = disaster.id;
  }, 180_000);

  afterAll(async () => {
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('uploads 100 offline triages in capture order', async () => {
    const socket = new KatAppSocket<KatAppServerMessage>({
      url: platform.urls.websocket,
      token: () => dashboard.auth.accessToken(),
      onError: () => undefined,
    });
    const announced = new Set<string>();
    socket.on('triage.created', (event) => announced.add(event.triage.id));
    const acknowledged: string[] = [];
    socket.on('ack', (message) => acknowledged.push(message.disasterId ?? ''));
    socket.connect();
    socket.subscribe(disasterId);
    await waitFor(() => acknowledged.includes(disasterId), 'the subscription acknowledgement', 30_000);

    const triages = captureTriages(disasterId, Date.now() - 3_600_000);
    const errors: unknown[] = [];
    const outbox = new Outbox({
      transport: clientTransport(device),
      retry: { baseDelayMs: 50, maxDelayMs: 250 },
      onError: (error) => errors.push(error),
    });
    deviceOffline = true;
    outbox.start();
    // Shuffled, with every fifth triage queued twice.
    const queued = [...triages, ...triages.filter((_, index) => index % 5 === 0)].sort(
      () => Math.random() - 0.5,
    );
    for (const triage of queued) await outbox.enqueue(triage.id, triage.body);
    await waitFor(() => errors.length >= 2, 'failed attempts while offline');
    expect(outbox.pending.get()).toBe(100);

    deviceOffline = false;
    await waitFor(() => outbox.pending.get() === 0, 'an empty outbox', 120_000);
    outbox.stop();
    expect(await outbox.deadLetters()).toEqual([]);

    const stored = await listAll((cursor) =>
      dashboard
        .GET('/disasters/{disasterId}/triages', {
          params: { path: { disasterId }, query: { cursor, limit: 500 } },
        })
        .then(({ data }) => data),
    );
    expect(stored.map((triage) => triage.id).sort()).toEqual(triages.map((triage) => triage.id).sort());

    const byCard = new Map<string, Schemas['Triage'][]>();
    for (const triage of stored)
      byCard.set(triage.cardCode, [...(byCard.get(triage.cardCode) ?? []), triage]);
    expect(byCard.size).toBe(20);
    for (const history of byCard.values()) {
      const byCapture = [...history].sort(
        (left, right) => Date.parse(left.capturedAt) - Date.parse(right.capturedAt),
      );
      const byReceipt = [...history].sort(
        (left, right) => Date.parse(left.receivedAt) - Date.parse(right.receivedAt),
      );
      expect(byReceipt.map((triage) => triage.id)).toEqual(byCapture.map((triage) => triage.id));
    }

    await waitFor(() => announced.size > 0, 'live triage events', 30_000);
    for (const id of announced) expect(stored.some((triage) => triage.id === id)).toBe(true);
    socket.close();
  }, 240_000);

  it('reconnects after the WebSocket endpoint restarts', async () => {
    const socket = new KatAppSocket<KatAppServerMessage>({
      url: platform.urls.websocket,
      token: () => dashboard.auth.accessToken(),
      reconnect: { baseDelayMs: 100, maxDelayMs: 500 },
      onError: () => undefined,
    });
    const onlineStates: boolean[] = [];
    socket.online.subscribe((online) => onlineStates.push(online));
    const acknowledged: string[] = [];
    socket.on('ack', (message) => acknowledged.push(message.disasterId ?? ''));
    const announced: string[] = [];
    socket.on('triage.created', (event) => announced.push(event.triage.id));
    let resyncs = 0;
    socket.onResync(() => {
      resyncs += 1;
    });
    socket.connect();
    socket.subscribe(disasterId);
    await waitFor(() => acknowledged.includes(disasterId), 'the first subscription acknowledgement', 30_000);

    await platform.restartWebSocket();
    await waitFor(() => onlineStates.includes(false), 'the socket going offline', 30_000);
    await waitFor(() => socket.online.get(), 'the socket coming back online', 60_000);
    await waitFor(() => resyncs > 0, 'the resync after re-subscribing', 30_000);
    expect(acknowledged.filter((id) => id === disasterId).length).toBeGreaterThanOrEqual(2);

    const [triage] = captureTriages(disasterId, Date.now() - 60_000);
    if (!triage) throw new Error('captureTriages returned no triage');
    await device.PUT('/triages/{triageId}', {
      params: { path: { triageId: triage.id } },
      body: triage.body as never,
    });
    await waitFor(() => announced.includes(triage.id), 'the triage event after the restart', 30_000);
    expect(onlineStates.slice(-2)).toEqual([false, true]);
    socket.close();
  }, 180_000);

  it('filters patients by a form array parameter', async () => {
    const { data } = await dashboard.GET('/disasters/{disasterId}/patients', {
      params: { path: { disasterId }, query: { category: ['red', 'yellow'], limit: 500 } },
    });
    expect(data.items.length).toBeGreaterThan(0);
    expect(new Set(data.items.map((patient) => patient.currentCategory))).toEqual(new Set(['red', 'yellow']));
  });

  it('finds the disaster near a coordinate pair', async () => {
    const { data } = await dashboard.GET('/disasters', {
      params: { query: { near: [50.0379, 8.5622], radiusKm: 5, limit: 500 } },
    });
    expect(data.items.map((disaster) => disaster.id)).toContain(disasterId);
  });

  it('uploads a photo through the presigned URL', async () => {
    const photo = new TextEncoder().encode(`photo of ${randomUUID()}`);
    const sha256 = createHash('sha256').update(photo).digest('hex');
    const [triage] = captureTriages(disasterId, Date.now() - 60_000);
    const outbox = new Outbox({ transport: clientTransport(device), onError: () => undefined });
    await outbox.enqueue(triage?.id ?? '', triage?.body ?? {}, [{ bytes: photo, contentType: 'image/jpeg' }]);

    const result = await outbox.flush();

    expect(result).toEqual({ uploadedTriages: 1, uploadedPhotos: 1, deadLettered: 0 });
    const { data: download } = await dashboard.GET('/photos/{photoId}/download', {
      params: { path: { photoId: sha256 } },
    });
    const bytes = new Uint8Array(
      await (
        await fetch(download.download.url, {
          headers: download.download.signedHeaders as Record<string, string>,
        })
      ).arrayBuffer(),
    );
    expect(bytes).toEqual(photo);
  });

  it('dead-letters an idempotency conflict', async () => {
    const [triage] = captureTriages(disasterId, Date.now() - 120_000) as [{ id: string; body: TriageUpload }];
    await device.PUT('/triages/{triageId}', {
      params: { path: { triageId: triage.id } },
      body: triage.body as never,
    });
    const outbox = new Outbox({ transport: clientTransport(device), onError: () => undefined });
    await outbox.enqueue(triage.id, {
      ...triage.body,
      category: 'green',
      decidingCriterion: 'patient-ambulant',
      stage: 'hospital',
    });

    const result = await outbox.flush();

    expect(result.deadLettered).toBe(1);
    const [dead] = await outbox.deadLetters();
    expect(dead?.failure?.code).toBe('IDEMPOTENCY_CONFLICT');
  });

  it('refreshes after a rejected access token', async () => {
    const demo = platform.demo;
    const store = new MemoryTokenStore();
    const client = createKatAppClient({ baseUrl: platform.urls.rest, auth: { store } });
    await client.login(demo?.dashboardUser.email ?? '', demo?.dashboardUser.password ?? '');
    const refreshToken = store.get()?.refreshToken;
    store.set({ accessToken: 'a.b.c', ...(refreshToken ? { refreshToken } : {}) });

    const { data } = await client.GET('/disasters/{disasterId}', { params: { path: { disasterId } } });

    expect(data.id).toBe(disasterId);
    expect(store.get()?.accessToken).not.toBe('a.b.c');
    expect(store.get()?.refreshToken).not.toBe(refreshToken);
  });

  it('throws problems with the gateway request id', async () => {
    const error = await dashboard
      .GET('/triages/{triageId}', { params: { path: { triageId: randomUUID() } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KatAppProblemError);
    expect((error as KatAppProblemError).status).toBe(404);
    expect((error as KatAppProblemError).code).toBe('NOT_FOUND');
    expect((error as KatAppProblemError).requestId).toEqual(expect.any(String));
  });

  describe('packed SDK', () => {
    let packed: PackedConsumer;
    beforeAll(async () => {
      packed = await preparePackedConsumer();
    }, 240_000);
    afterAll(async () => {
      await packed?.remove();
    });

    it('runs the consumer against the platform', async () => {
      const [triage] = captureTriages(disasterId, Date.now() - 180_000) as [
        { id: string; body: TriageUpload },
      ];
      await device.PUT('/triages/{triageId}', {
        params: { path: { triageId: triage.id } },
        body: triage.body as never,
      });
      const demo = platform.demo;

      const report = await packed.runConsumer(
        platform.urls.rest,
        demo?.dashboardUser.email ?? '',
        demo?.dashboardUser.password ?? '',
        triage.id,
      );

      expect(report.principal).toBe('user');
      expect(report.signedIn).toBe(true);
      expect(report.triageId).toBe(triage.id);
      expect(report.triageCategory).toBe(triage.body.category);
      expect(report.invalidId).toBe(400);
    }, 120_000);
  });
});

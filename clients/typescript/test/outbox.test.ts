// Offline outbox against a real HTTP server that goes down and comes back on the same port.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createContractClient } from '../src/core/client.js';
import { JsonFileOutboxStorage } from '../src/outbox/file-storage.js';
import { Outbox, OutboxRejectedError } from '../src/outbox/outbox.js';
import { clientTransport, type OutboxClient } from '../src/outbox/transport.js';
import { ObservableValue } from '../src/shared/observable.js';
import { startTriageServer, type TriageServer } from './support/triage-server.js';
import { waitFor } from './support/ws-server.js';

const operations = [
  {
    operationId: 'uploadTriage',
    method: 'PUT' as const,
    path: '/triages/{triageId}',
    parameters: [{ name: 'triageId', in: 'path' as const }],
    requestContentTypes: ['application/json'],
    public: false,
  },
  {
    operationId: 'createPhotoUpload',
    method: 'POST' as const,
    path: '/triages/{triageId}/photos',
    parameters: [{ name: 'triageId', in: 'path' as const }],
    requestContentTypes: ['application/json'],
    public: false,
  },
];

/** Deterministic pseudo-random numbers (mulberry32), so a failing shuffle can be replayed. */
function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

interface Captured {
  id: string;
  body: Record<string, unknown>;
}

/** 100 triages of 20 patients, five each, captured one minute apart per patient. */
function captureTriages(): Captured[] {
  const start = Date.parse('2025-06-14T09:00:00Z');
  const triages: Captured[] = [];
  for (let patient = 0; patient < 20; patient += 1) {
    for (let round = 0; round < 5; round += 1) {
      triages.push({
        id: randomUUID(),
        body: {
          disasterId: '6f1c2a9e-3b7d-4e58-9c04-1a2b3c4d5e6f',
          cardCode: String(4006381330000 + patient),
          capturedAt: new Date(start + round * 60_000 + patient * 1_000).toISOString(),
          stage: 'incident',
          category: ['red', 'yellow', 'green'][round % 3],
          algorithm: 'mSTaRT',
          kind: 'pre-triage',
          decidingCriterion: 'no-criterion-applies',
          ageGroup: 'adult',
        },
      });
    }
  }
  return triages;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [copy[index], copy[other]] = [copy[other] as T, copy[index] as T];
  }
  return copy;
}

describe('Outbox', () => {
  let server: TriageServer | undefined;
  let outbox: Outbox | undefined;
  let directory: string | undefined;

  afterEach(async () => {
    outbox?.stop();
    await server?.stop();
    if (directory) await rm(directory, { recursive: true, force: true });
    outbox = undefined;
    server = undefined;
    directory = undefined;
  });

  function transportFor(live: TriageServer) {
    const client = createContractClient({ baseUrl: live.baseUrl, operations });
    return clientTransport(client as unknown as OutboxClient);
  }

  it('uploads 100 offline triages in capture order', async () => {
    server = await startTriageServer();
    const live = server;
    await live.stop();

    const errors: unknown[] = [];
    outbox = new Outbox({
      transport: transportFor(live),
      retry: { baseDelayMs: 20, maxDelayMs: 100 },
      onError: (error) => errors.push(error),
    });
    const queue = outbox;
    const pendingCounts: number[] = [];
    queue.pending.subscribe((count) => pendingCounts.push(count));

    const triages = captureTriages();
    const random = seededRandom(42);
    const duplicates = shuffle(triages, random).slice(0, 15);
    const photo = new TextEncoder().encode('jpeg bytes of the left arm');
    const withPhoto = triages[7] as Captured;

    queue.start();
    for (const triage of shuffle([...triages, ...duplicates], random)) {
      const photos = triage === withPhoto ? [{ bytes: photo, contentType: 'image/jpeg' as const }] : [];
      await queue.enqueue(triage.id, triage.body, photos);
    }
    await waitFor(() => errors.length >= 3, 'three failed attempts while the server is down');
    expect(queue.pending.get()).toBe(100);
    expect(live.state.triages.size).toBe(0);

    await live.start();
    await waitFor(() => queue.pending.get() === 0, 'an empty outbox after the server came back', 10_000);

    expect(live.state.triages.size).toBe(100);
    expect([...live.state.triages.keys()].sort()).toEqual(triages.map((triage) => triage.id).sort());
    for (const [cardCode, arrivalOrder] of live.state.arrivals) {
      const captureOrder = triages
        .filter((triage) => triage.body.cardCode === cardCode)
        .sort((left, right) => String(left.body.capturedAt).localeCompare(String(right.body.capturedAt)))
        .map((triage) => triage.id);
      expect(arrivalOrder).toEqual(captureOrder);
    }
    const sha256 = createHash('sha256').update(photo).digest('hex');
    expect(live.state.triages.get(withPhoto.id)?.body.photos).toEqual([sha256]);
    expect(live.state.photos.get(sha256)?.equals(Buffer.from(photo))).toBe(true);
    expect(pendingCounts.at(-1)).toBe(0);
    expect(Math.max(...pendingCounts)).toBe(100);
    expect(await queue.deadLetters()).toEqual([]);
  });

  it('counts a 200 replay as uploaded', async () => {
    server = await startTriageServer();
    const [triage] = captureTriages() as [Captured];
    outbox = new Outbox({ transport: transportFor(server), onError: () => undefined });
    await outbox.enqueue(triage.id, triage.body);
    expect((await outbox.flush()).uploadedTriages).toBe(1);

    await outbox.enqueue(triage.id, triage.body);
    const replay = await outbox.flush();

    expect(replay.uploadedTriages).toBe(1);
    expect(replay.deadLettered).toBe(0);
    expect(server.state.triages.size).toBe(1);
    expect(server.state.uploadAttempts).toBe(2);
  });

  it('moves an idempotency conflict to the dead letters', async () => {
    server = await startTriageServer();
    const [first, second] = captureTriages() as [Captured, Captured];
    server.state.triages.set(first.id, {
      id: first.id,
      body: { ...first.body, category: 'dead' },
      arrival: 0,
    });
    outbox = new Outbox({ transport: transportFor(server), onError: () => undefined });
    await outbox.enqueue(first.id, first.body);
    await outbox.enqueue(second.id, second.body);

    const result = await outbox.flush();

    expect(result).toEqual({ uploadedTriages: 1, uploadedPhotos: 0, deadLettered: 1 });
    const [dead] = await outbox.deadLetters();
    expect(dead?.triageId).toBe(first.id);
    expect(dead?.failure?.code).toBe('IDEMPOTENCY_CONFLICT');
    expect(dead?.failure?.status).toBe(409);
    expect(outbox.pending.get()).toBe(0);
    expect(outbox.deadLetterCount.get()).toBe(1);
  });

  it('retries after a 503 with Retry-After', async () => {
    server = await startTriageServer();
    server.state.failNextUploads = 2;
    const [triage] = captureTriages() as [Captured];
    outbox = new Outbox({
      transport: transportFor(server),
      retry: { baseDelayMs: 10, maxDelayMs: 50 },
      onError: () => undefined,
    });
    const queue = outbox;
    queue.start();
    await queue.enqueue(triage.id, triage.body);
    await waitFor(() => queue.pending.get() === 0, 'the upload after two 503 answers');
    expect(server.state.uploadAttempts).toBe(3);
    expect(server.state.triages.has(triage.id)).toBe(true);
  });

  it('sends nothing while offline', async () => {
    server = await startTriageServer();
    const online = new ObservableValue(false);
    const [triage] = captureTriages() as [Captured];
    outbox = new Outbox({ transport: transportFor(server), online, onError: () => undefined });
    const queue = outbox;
    queue.start();
    await queue.enqueue(triage.id, triage.body);
    expect((await queue.flush()).stoppedBy).toBe('offline');
    expect(server.state.uploadAttempts).toBe(0);

    online.set(true);
    await waitFor(() => queue.pending.get() === 0, 'the upload once online');
    expect(server.state.triages.has(triage.id)).toBe(true);
  });

  it('keeps the queue in a JSON file across restarts', async () => {
    server = await startTriageServer();
    const live = server;
    await live.stop();
    directory = await mkdtemp(join(tmpdir(), 'katapp-outbox-'));
    const path = join(directory, 'outbox.json');
    const triages = captureTriages().slice(0, 5);

    const first = new Outbox({
      transport: transportFor(live),
      storage: new JsonFileOutboxStorage(path),
      onError: () => undefined,
    });
    for (const triage of triages.reverse()) await first.enqueue(triage.id, triage.body);
    expect((await first.flush()).stoppedBy).toBe('retry-later');

    await live.start();
    outbox = new Outbox({
      transport: transportFor(live),
      storage: new JsonFileOutboxStorage(path),
      onError: () => undefined,
    });
    const result = await outbox.flush();

    expect(result.uploadedTriages).toBe(5);
    expect(live.state.arrivals.get('4006381330000')).toEqual(triages.reverse().map((triage) => triage.id));
    expect(await new JsonFileOutboxStorage(path).list()).toEqual([]);
  });

  it('rejects a changed triage under a queued id', async () => {
    server = await startTriageServer();
    const [triage] = captureTriages() as [Captured];
    outbox = new Outbox({ transport: transportFor(server), onError: () => undefined });
    await outbox.enqueue(triage.id, triage.body);
    await expect(outbox.enqueue(triage.id, { ...triage.body, category: 'dead' })).rejects.toThrow(
      OutboxRejectedError,
    );
    await expect(outbox.enqueue(triage.id, { ...triage.body, category: 'dead' })).rejects.toThrow(
      /already queued with different content/,
    );
  });

  it('rejects a photo missing from body.photos', async () => {
    server = await startTriageServer();
    const [triage] = captureTriages() as [Captured];
    outbox = new Outbox({ transport: transportFor(server), onError: () => undefined });
    const photos = [{ bytes: new Uint8Array([1, 2, 3]), contentType: 'image/png' as const }];
    await expect(outbox.enqueue(triage.id, { ...triage.body, photos: [] }, photos)).rejects.toThrow(
      /but not the queued photo/,
    );
  });

  it('rejects a triage without capture time', async () => {
    server = await startTriageServer();
    outbox = new Outbox({ transport: transportFor(server), onError: () => undefined });
    await expect(outbox.enqueue('t', { capturedAt: 'yesterday' })).rejects.toThrow(
      'Triage t has capturedAt "yesterday"; expected an RFC 3339 timestamp.',
    );
  });
});

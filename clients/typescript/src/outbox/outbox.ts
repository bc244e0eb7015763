// Offline outbox: triages captured without a connection are stored, then uploaded in capture order with
// their client-generated ids once the API is reachable again. Photos follow through presigned uploads.
import { type BackoffOptions, fullJitterDelay, resolveBackoff } from '../shared/backoff.js';
import { type Observable, ObservableValue } from '../shared/observable.js';
import { MemoryOutboxStorage, type OutboxFailure, type OutboxRecord, type OutboxStorage } from './storage.js';
import type { OutboxTransport, PhotoDescription } from './transport.js';

/** A photo taken with a triage, before it is queued. */
export interface CapturedPhoto {
  bytes: Uint8Array | ArrayBuffer | Blob;
  contentType: PhotoDescription['contentType'];
}

export interface OutboxOptions {
  transport: OutboxTransport;
  /** Defaults to `MemoryOutboxStorage`, which loses the queue when the process ends. */
  storage?: OutboxStorage;
  /** Delays between failed attempts: full jitter up to min(max, base * 2^n). Defaults: base 1 s, max 60 s. */
  retry?: BackoffOptions;
  /** While this is `false` nothing is sent; when it turns `true` a running outbox flushes. */
  online?: Observable<boolean>;
  /** Receives every error the outbox handles without throwing. Defaults to console.warn. */
  onError?: (error: unknown, triageId: string | undefined) => void;
}

/** Reason a flush ended before the queue was empty. */
export type FlushStop = 'offline' | 'retry-later' | 'unauthorized';

export interface FlushResult {
  /** Triages the API stored or confirmed as already stored (201 or 200). */
  uploadedTriages: number;
  uploadedPhotos: number;
  /** Records moved to the dead-letter list in this flush. */
  deadLettered: number;
  stoppedBy?: FlushStop;
}

type Outcome = 'done' | 'dead' | 'retry-later' | 'unauthorized';

interface FailureInfo {
  status?: number;
  code?: string;
  problem?: Record<string, unknown>;
  retryAfterMs?: number;
}

// Duck typing instead of instanceof, so errors of another copy of the SDK (ESM next to CJS) count too.
function describeFailure(error: unknown): FailureInfo {
  if (typeof error !== 'object' || error === null) return {};
  const candidate = error as { status?: unknown; problem?: unknown; response?: unknown };
  const info: FailureInfo = {};
  if (typeof candidate.status === 'number') info.status = candidate.status;
  if (typeof candidate.problem === 'object' && candidate.problem !== null) {
    info.problem = candidate.problem as Record<string, unknown>;
    const code = info.problem.code;
    if (typeof code === 'string') info.code = code;
  }
  if (candidate.response instanceof Response) {
    const retryAfter = parseRetryAfter(candidate.response.headers.get('Retry-After'));
    if (retryAfter !== undefined) info.retryAfterMs = retryAfter;
  }
  return info;
}

/** Parses `Retry-After` as seconds or as an HTTP date, in milliseconds from now. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Maps a failed API call to the outbox's next step. 401 waits for a new sign-in. 408, 425, 429, 5xx and
 * network errors retry later. Every other 4xx (409 IDEMPOTENCY_CONFLICT, 400, 403, 422) cannot succeed by
 * repeating, so the record becomes a dead letter.
 */
function classifyApiFailure(info: FailureInfo): Outcome {
  const { status } = info;
  if (status === undefined) return 'retry-later';
  if (status === 401) return 'unauthorized';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'retry-later';
  return status >= 400 ? 'dead' : 'retry-later';
}

function captureTime(record: OutboxRecord): number {
  return Date.parse(record.capturedAt);
}

function byCaptureOrder(left: OutboxRecord, right: OutboxRecord): number {
  return captureTime(left) - captureTime(right) || left.sequence - right.sequence;
}

/** JSON with object keys sorted, so two bodies with the same content compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'object' && item !== null && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).sort(([left], [right]) => (left < right ? -1 : 1)))
      : item,
  );
}

async function toBytes(bytes: CapturedPhoto['bytes']): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes instanceof Uint8Array) return new Uint8Array(bytes);
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes.slice(0));
  return new Uint8Array(await bytes.arrayBuffer());
}

async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  // Chunks keep String.fromCharCode below the engines' argument count limit.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** Thrown by `enqueue` for a triage the outbox cannot accept. */
export class OutboxRejectedError extends Error {
  override name = 'OutboxRejectedError';
}

/**
 * Queue of captured triages. `enqueue` stores a triage; `flush` (or `start` for automatic flushing) uploads
 * pending triages one at a time in capture order, then their photos. Safe to retry at any point: uploads are
 * idempotent on the triage id and photos are stored by hash.
 */
export class Outbox {
  readonly #transport: OutboxTransport;
  readonly #storage: OutboxStorage;
  readonly #backoff: ReturnType<typeof resolveBackoff>;
  readonly #online: Observable<boolean> | undefined;
  readonly #onError: (error: unknown, triageId: string | undefined) => void;
  readonly #pending = new ObservableValue(0);
  readonly #deadLetters = new ObservableValue(0);

  #nextSequence: number | undefined;
  #flushing: Promise<FlushResult> | undefined;
  #flushAgain = false;
  #running = false;
  #retryAttempt = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #unsubscribeOnline: (() => void) | undefined;

  constructor(options: OutboxOptions) {
    this.#transport = options.transport;
    this.#storage = options.storage ?? new MemoryOutboxStorage();
    this.#backoff = resolveBackoff(options.retry, { baseDelayMs: 1_000, maxDelayMs: 60_000 });
    this.#online = options.online;
    this.#onError =
      options.onError ??
      ((error, triageId) => console.warn(`[katapp outbox] triage ${triageId ?? '-'}: ${String(error)}`));
    void this.#updateCounts().catch((error: unknown) => this.#onError(error, undefined));
  }

  /** Records not uploaded yet (triage or photos), without dead letters. */
  get pending(): Observable<number> {
    return this.#pending;
  }

  /** Records the outbox gave up on; see `deadLetters()`. */
  get deadLetterCount(): Observable<number> {
    return this.#deadLetters;
  }

  /**
   * Stores a captured triage for upload. Queuing the same triage id with the same content again does
   * nothing, so a double tap cannot create two records.
   * @param body the uploadTriage body; `photos` is filled with the photos' SHA-256 when absent.
   * @throws OutboxRejectedError when `capturedAt` is not a timestamp, a photo's hash is missing from
   *   `body.photos`, or the id is queued with different content (a correction is a new triage with `supersedes`).
   */
  async enqueue(
    triageId: string,
    body: Record<string, unknown>,
    photos: CapturedPhoto[] = [],
  ): Promise<void> {
    const capturedAt = body.capturedAt;
    if (typeof capturedAt !== 'string' || Number.isNaN(Date.parse(capturedAt))) {
      throw new OutboxRejectedError(
        `Triage ${triageId} has capturedAt ${JSON.stringify(capturedAt)}; expected an RFC 3339 timestamp.`,
      );
    }

    const queuedPhotos = await Promise.all(
      photos.map(async (photo) => {
        const bytes = await toBytes(photo.bytes);
        const sha256 = await sha256Hex(bytes);
        return {
          sha256,
          contentType: photo.contentType,
          size: bytes.length,
          data: toBase64(bytes),
          uploaded: false,
        };
      }),
    );
    const hashes = queuedPhotos.map((photo) => photo.sha256);
    const queuedBody = { ...body };
    if (queuedBody.photos === undefined) {
      queuedBody.photos = hashes;
    } else {
      const declared = Array.isArray(queuedBody.photos) ? queuedBody.photos : [];
      const missing = hashes.filter((hash) => !declared.includes(hash));
      if (missing.length > 0) {
        throw new OutboxRejectedError(
          `Triage ${triageId} lists photos ${JSON.stringify(declared)} but not the queued photo ${missing.join(', ')}; ` +
            'add each photo SHA-256 to body.photos or leave body.photos out.',
        );
      }
    }

    const existing = await this.#storage.get(triageId);
    if (existing) {
      const sameContent =
        canonicalJson(existing.body) === canonicalJson(queuedBody) &&
        canonicalJson(existing.photos.map((photo) => photo.sha256)) === canonicalJson(hashes);
      if (sameContent) return;
      throw new OutboxRejectedError(
        `Triage ${triageId} is already queued with different content. Triages never change: ` +
          'record a correction as a new triage whose supersedes names this one.',
      );
    }

    const record: OutboxRecord = {
      triageId,
      sequence: await this.#takeSequence(),
      capturedAt,
      body: queuedBody,
      photos: queuedPhotos,
      state: 'pending',
      attempts: 0,
    };
    await this.#storage.put(triageId, record);
    await this.#updateCounts();
    if (this.#running) this.#flushInBackground();
  }

  /** Returns the records the outbox gave up on, each with the failure that stopped it. */
  async deadLetters(): Promise<OutboxRecord[]> {
    return (await this.#storage.list()).filter((record) => record.state === 'dead').sort(byCaptureOrder);
  }

  /** Returns a dead letter to the queue, for example after the disaster was reopened. */
  async retryDeadLetter(triageId: string): Promise<void> {
    const record = await this.#storage.get(triageId);
    if (record?.state !== 'dead') return;
    const photosLeft = record.photos.some((photo) => !photo.uploaded);
    const triageStored = record.failure?.step === 'photo';
    record.state = triageStored && photosLeft ? 'photos' : 'pending';
    record.attempts = 0;
    delete record.failure;
    await this.#storage.put(triageId, record);
    await this.#updateCounts();
    if (this.#running) this.#flushInBackground();
  }

  /** Deletes a dead letter for good. */
  async discardDeadLetter(triageId: string): Promise<void> {
    const record = await this.#storage.get(triageId);
    if (record?.state !== 'dead') return;
    await this.#storage.delete(triageId);
    await this.#updateCounts();
  }

  /**
   * Uploads what is queued: first every pending triage in capture order, then the photos. Stops at the
   * first failure that a retry may fix, so no triage overtakes an earlier one. Concurrent calls share one run.
   */
  flush(): Promise<FlushResult> {
    if (this.#flushing) {
      this.#flushAgain = true;
      return this.#flushing;
    }
    this.#flushing = this.#drain().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /** Flushes now, after every enqueue, whenever `online` turns true, and after each backoff delay. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#unsubscribeOnline = this.#online?.subscribe((online) => {
      if (online) this.#flushInBackground();
    });
    this.#flushInBackground();
  }

  /** Stops automatic flushing; a flush in progress finishes its current request. */
  stop(): void {
    this.#running = false;
    clearTimeout(this.#retryTimer);
    this.#unsubscribeOnline?.();
    this.#unsubscribeOnline = undefined;
  }

  #flushInBackground(): void {
    this.flush().catch((error: unknown) => this.#onError(error, undefined));
  }

  async #takeSequence(): Promise<number> {
    if (this.#nextSequence === undefined) {
      const records = await this.#storage.list();
      this.#nextSequence = records.reduce((max, record) => Math.max(max, record.sequence + 1), 0);
    }
    const sequence = this.#nextSequence;
    this.#nextSequence += 1;
    return sequence;
  }

  async #drain(): Promise<FlushResult> {
    clearTimeout(this.#retryTimer);
    const result: FlushResult = { uploadedTriages: 0, uploadedPhotos: 0, deadLettered: 0 };
    let retryAfterMs = 0;

    do {
      this.#flushAgain = false;
      for (const phase of ['pending', 'photos'] as const) {
        while (result.stoppedBy === undefined) {
          if (this.#online?.get() === false) {
            result.stoppedBy = 'offline';
            break;
          }
          const next = (await this.#storage.list())
            .filter((record) => record.state === phase)
            .sort(byCaptureOrder)[0];
          if (!next) break;
          const outcome =
            phase === 'pending' ? await this.#sendTriage(next, result) : await this.#sendPhotos(next, result);
          if (outcome.outcome === 'retry-later' || outcome.outcome === 'unauthorized') {
            result.stoppedBy = outcome.outcome;
            retryAfterMs = outcome.retryAfterMs ?? 0;
          }
          await this.#updateCounts();
        }
      }
    } while (this.#flushAgain && result.stoppedBy === undefined);

    if (result.stoppedBy === 'retry-later') {
      const delay = Math.max(retryAfterMs, fullJitterDelay(this.#retryAttempt, this.#backoff));
      this.#retryAttempt += 1;
      if (this.#running) this.#retryTimer = setTimeout(() => this.#flushInBackground(), delay);
    } else if (result.stoppedBy === undefined) {
      this.#retryAttempt = 0;
    }
    await this.#updateCounts();
    return result;
  }

  async #sendTriage(
    record: OutboxRecord,
    result: FlushResult,
  ): Promise<{ outcome: Outcome; retryAfterMs?: number }> {
    try {
      await this.#transport.uploadTriage(record.triageId, record.body);
    } catch (error) {
      return await this.#handleFailure(record, error, 'triage', result);
    }
    result.uploadedTriages += 1;
    if (record.photos.some((photo) => !photo.uploaded)) {
      await this.#storage.put(record.triageId, { ...record, state: 'photos', attempts: 0 });
    } else {
      await this.#storage.delete(record.triageId);
    }
    return { outcome: 'done' };
  }

  async #sendPhotos(
    record: OutboxRecord,
    result: FlushResult,
  ): Promise<{ outcome: Outcome; retryAfterMs?: number }> {
    for (const photo of record.photos) {
      if (photo.uploaded) continue;
      try {
        const target = await this.#transport.createPhotoUpload(record.triageId, {
          sha256: photo.sha256,
          contentType: photo.contentType as PhotoDescription['contentType'],
          size: photo.size,
        });
        if (target.upload) await this.#transport.putPhoto(target.upload, fromBase64(photo.data));
      } catch (error) {
        return await this.#handleFailure(record, error, 'photo', result);
      }
      photo.uploaded = true;
      result.uploadedPhotos += 1;
      await this.#storage.put(record.triageId, record);
    }
    await this.#storage.delete(record.triageId);
    return { outcome: 'done' };
  }

  async #handleFailure(
    record: OutboxRecord,
    error: unknown,
    step: 'triage' | 'photo',
    result: FlushResult,
  ): Promise<{ outcome: Outcome; retryAfterMs?: number }> {
    this.#onError(error, record.triageId);
    const info = describeFailure(error);
    // A presigned upload that storage rejects (expired URL, 403) is retried with a fresh URL.
    const isStorageError = error instanceof Error && error.name === 'PhotoUploadError';
    const outcome = isStorageError ? 'retry-later' : classifyApiFailure(info);

    const failure: OutboxFailure = {
      step,
      message: error instanceof Error ? error.message : String(error),
      at: new Date().toISOString(),
    };
    if (info.status !== undefined) failure.status = info.status;
    if (info.code !== undefined) failure.code = info.code;
    if (info.problem) failure.problem = info.problem;

    const updated: OutboxRecord = { ...record, attempts: record.attempts + 1, failure };
    if (outcome === 'dead') {
      updated.state = 'dead';
      result.deadLettered += 1;
    }
    await this.#storage.put(record.triageId, updated);
    if (outcome === 'dead' || info.retryAfterMs === undefined) return { outcome };
    return { outcome, retryAfterMs: info.retryAfterMs };
  }

  async #updateCounts(): Promise<void> {
    const records = await this.#storage.list();
    const dead = records.filter((record) => record.state === 'dead').length;
    this.#deadLetters.set(dead);
    this.#pending.set(records.length - dead);
  }
}

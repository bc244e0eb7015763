// Storage behind the offline outbox: an interface, an in-memory implementation and IndexedDB for browsers.

/** A photo waiting for upload; the bytes are base64 so every storage can keep records as JSON. */
export interface OutboxPhoto {
  sha256: string;
  contentType: string;
  size: number;
  /** The photo bytes, base64-encoded. */
  data: string;
  uploaded: boolean;
}

/** The last failure of a record, kept for display and for the dead-letter list. */
export interface OutboxFailure {
  /** `triage` when uploadTriage failed; `photo` when the triage was stored and a photo upload failed. */
  step: 'triage' | 'photo';
  message: string;
  at: string;
  status?: number;
  code?: string;
  /** The RFC 9457 problem the API returned, when there was one. */
  problem?: Record<string, unknown>;
}

/** One captured triage with its photos, as the outbox stores it. */
export interface OutboxRecord {
  /** The client-generated triage id, also the storage key. */
  triageId: string;
  /** Enqueue order; breaks ties between equal capture times. */
  sequence: number;
  /** Copied from the body; uploads go in this order. */
  capturedAt: string;
  /** The uploadTriage request body. */
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** `pending`: triage not uploaded yet; `photos`: triage stored, photos left; `dead`: gave up, see `failure`. */
  state: 'pending' | 'photos' | 'dead';
  attempts: number;
  failure?: OutboxFailure;
}

/** Key-value storage the outbox keeps its records in. Every method may be asynchronous. */
export interface OutboxStorage {
  get(key: string): Promise<OutboxRecord | undefined>;
  put(key: string, value: OutboxRecord): Promise<void>;
  delete(key: string): Promise<void>;
  list(): Promise<OutboxRecord[]>;
}

/** Keeps records in memory (lost when the process ends); copies values so callers cannot change stored ones. */
export class MemoryOutboxStorage implements OutboxStorage {
  readonly #records = new Map<string, OutboxRecord>();

  async get(key: string): Promise<OutboxRecord | undefined> {
    const record = this.#records.get(key);
    return record ? structuredClone(record) : undefined;
  }

  async put(key: string, value: OutboxRecord): Promise<void> {
    this.#records.set(key, structuredClone(value));
  }

  async delete(key: string): Promise<void> {
    this.#records.delete(key);
  }

  async list(): Promise<OutboxRecord[]> {
    return [...this.#records.values()].map((record) => structuredClone(record));
  }
}

function requestToPromise<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

/**
 * Keeps records in an IndexedDB object store, so queued triages survive a page reload or a closed browser.
 * @param databaseName defaults to `katapp-outbox`.
 */
export class IndexedDbOutboxStorage implements OutboxStorage {
  readonly #database: Promise<IDBDatabase>;
  static readonly storeName = 'records';

  constructor(databaseName = 'katapp-outbox', factory: IDBFactory = globalThis.indexedDB) {
    if (!factory)
      throw new TypeError('IndexedDB is not available here; pass a factory or use another storage.');
    const open = factory.open(databaseName, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(IndexedDbOutboxStorage.storeName);
    };
    this.#database = requestToPromise(open);
  }

  async #store(mode: IDBTransactionMode): Promise<IDBObjectStore> {
    const database = await this.#database;
    return database
      .transaction(IndexedDbOutboxStorage.storeName, mode)
      .objectStore(IndexedDbOutboxStorage.storeName);
  }

  async get(key: string): Promise<OutboxRecord | undefined> {
    return (await requestToPromise((await this.#store('readonly')).get(key))) as OutboxRecord | undefined;
  }

  async put(key: string, value: OutboxRecord): Promise<void> {
    await requestToPromise((await this.#store('readwrite')).put(value, key));
  }

  async delete(key: string): Promise<void> {
    await requestToPromise((await this.#store('readwrite')).delete(key));
  }

  async list(): Promise<OutboxRecord[]> {
    return (await requestToPromise((await this.#store('readonly')).getAll())) as OutboxRecord[];
  }
}

// Outbox storage in one JSON file for Node: survives restarts, written atomically (temporary file + rename).
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { OutboxRecord, OutboxStorage } from './storage.js';

/**
 * Keeps outbox records in a JSON file. Each change rewrites the file, so it suits queues of hundreds of
 * records with photos of a few MB, not bulk archives. One process may use a file at a time.
 */
export class JsonFileOutboxStorage implements OutboxStorage {
  readonly #path: string;
  #records: Map<string, OutboxRecord> | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(path: string) {
    this.#path = path;
  }

  async #load(): Promise<Map<string, OutboxRecord>> {
    if (this.#records) return this.#records;
    let text: string | undefined;
    try {
      text = await readFile(this.#path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const loaded = new Map<string, OutboxRecord>();
    if (text !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw new Error(
          `Outbox file ${this.#path} is not valid JSON; move it away to start an empty outbox.`,
          {
            cause: error,
          },
        );
      }
      for (const [key, value] of Object.entries(parsed as Record<string, OutboxRecord>))
        loaded.set(key, value);
    }
    this.#records ??= loaded;
    return this.#records;
  }

  /** Writes the whole map; writes run one after another so the last change always wins. */
  async #save(records: Map<string, OutboxRecord>): Promise<void> {
    const text = JSON.stringify(Object.fromEntries(records));
    const write = this.#writing.then(async () => {
      await mkdir(dirname(this.#path), { recursive: true });
      const temporary = `${this.#path}.${process.pid}.tmp`;
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, this.#path);
    });
    // A failed write must not block later ones; the caller still sees this one's error.
    this.#writing = write.catch(() => undefined);
    await write;
  }

  async get(key: string): Promise<OutboxRecord | undefined> {
    const record = (await this.#load()).get(key);
    return record ? structuredClone(record) : undefined;
  }

  async put(key: string, value: OutboxRecord): Promise<void> {
    const records = await this.#load();
    records.set(key, structuredClone(value));
    await this.#save(records);
  }

  async delete(key: string): Promise<void> {
    const records = await this.#load();
    if (!records.delete(key)) return;
    await this.#save(records);
  }

  async list(): Promise<OutboxRecord[]> {
    return [...(await this.#load()).values()].map((record) => structuredClone(record));
  }
}

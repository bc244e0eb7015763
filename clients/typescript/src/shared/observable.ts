// A value that listeners can watch, shaped for React's useSyncExternalStore (`subscribe` + `get`).

export interface Observable<T> {
  /** Returns the current value. */
  get(): T;
  /**
   * Calls `listener` after every change (not with the current value). Returns the function that removes
   * the listener.
   */
  subscribe(listener: (value: T) => void): () => void;
}

export class ObservableValue<T> implements Observable<T> {
  #value: T;
  readonly #listeners = new Set<(value: T) => void>();

  constructor(initial: T) {
    this.#value = initial;
  }

  get(): T {
    return this.#value;
  }

  /** Stores a new value and notifies the listeners when it differs from the current one. */
  set(value: T): void {
    if (Object.is(value, this.#value)) return;
    this.#value = value;
    for (const listener of [...this.#listeners]) listener(value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}

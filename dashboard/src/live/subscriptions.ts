// Disaster subscriptions shared by the components of one session, with a delayed unsubscribe.

/** The part of KatAppSocket the keeper uses. */
export interface SubscribingSocket {
  subscribe(disasterId: string): void;
  unsubscribe(disasterId: string): void;
}

/** How long a released subscription stays, in milliseconds, in case a component takes it again. */
export const UNSUBSCRIBE_DELAY_MS = 5000;

/**
 * Counts the holders of each disaster subscription and unsubscribes only when the last holder has been gone
 * for `delayMs`. The server may process one connection's messages in parallel, so an `unsubscribe` sent right
 * before a `subscribe` can take effect after it and leave the page without events. That happens when React
 * re-runs an effect or the user leaves a disaster and comes straight back.
 */
export class SubscriptionKeeper {
  readonly #socket: SubscribingSocket;
  readonly #delayMs: number;
  readonly #holders = new Map<string, number>();
  readonly #timers = new Map<string, ReturnType<typeof setTimeout>>();

  constructor(socket: SubscribingSocket, delayMs = UNSUBSCRIBE_DELAY_MS) {
    this.#socket = socket;
    this.#delayMs = delayMs;
  }

  /** Subscribes to the disaster (once for all holders) and returns the function that releases this hold. */
  retain(disasterId: string): () => void {
    clearTimeout(this.#timers.get(disasterId));
    this.#timers.delete(disasterId);
    this.#holders.set(disasterId, (this.#holders.get(disasterId) ?? 0) + 1);
    this.#socket.subscribe(disasterId);

    let released = false;
    return () => {
      if (released) return;
      released = true;
      const remaining = (this.#holders.get(disasterId) ?? 1) - 1;
      if (remaining > 0) {
        this.#holders.set(disasterId, remaining);
        return;
      }
      this.#holders.delete(disasterId);
      const timer = setTimeout(() => {
        this.#timers.delete(disasterId);
        if (!this.#holders.has(disasterId)) this.#socket.unsubscribe(disasterId);
      }, this.#delayMs);
      this.#timers.set(disasterId, timer);
    };
  }

  /** Cancels the pending unsubscribes; the socket is about to close anyway. */
  dispose(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}

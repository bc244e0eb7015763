// Token storage and the refresh flow shared by every request of one client.

/** The tokens of one signed-in user or device. */
export interface TokenSet {
  accessToken: string;
  /** Present for sessions that can be refreshed without signing in again. */
  refreshToken?: string;
  /** When the access token expires, in milliseconds since the epoch. */
  expiresAt?: number;
}

/**
 * Where a client keeps its tokens. Implement it over `localStorage`, a keychain or a file to keep a session
 * across restarts. `MemoryTokenStore` is the default and loses the session when the process ends.
 */
export interface TokenStore {
  get(): TokenSet | undefined | Promise<TokenSet | undefined>;
  /** Stores new tokens; `undefined` signs out. */
  set(tokens: TokenSet | undefined): void | Promise<void>;
}

/** Keeps tokens in memory. */
export class MemoryTokenStore implements TokenStore {
  #tokens: TokenSet | undefined;

  constructor(initial?: TokenSet) {
    this.#tokens = initial;
  }

  get(): TokenSet | undefined {
    return this.#tokens;
  }

  set(tokens: TokenSet | undefined): void {
    this.#tokens = tokens;
  }
}

export interface AuthOptions {
  /** Defaults to a new `MemoryTokenStore`. */
  store?: TokenStore;
  /**
   * Called once when a refresh fails and the stored tokens were cleared, so the app can show its sign-in
   * screen. Not called by `logout()`.
   */
  onSessionExpired?: (error: unknown) => void;
}

/** Exchanges a refresh token for new tokens; provided by the client that knows the refresh operation. */
export type RefreshTokens = (refreshToken: string) => Promise<TokenSet>;

/** Serializes token refreshes: concurrent requests that meet an expired token share one refresh call. */
export class AuthSession {
  readonly store: TokenStore;
  readonly #onSessionExpired: ((error: unknown) => void) | undefined;
  #refreshTokens: RefreshTokens | undefined;
  #refreshing: Promise<TokenSet> | undefined;

  constructor(options: AuthOptions = {}) {
    this.store = options.store ?? new MemoryTokenStore();
    this.#onSessionExpired = options.onSessionExpired;
  }

  /** Sets the function that calls the API's refresh operation. */
  useRefresh(refreshTokens: RefreshTokens): void {
    this.#refreshTokens = refreshTokens;
  }

  async tokens(): Promise<TokenSet | undefined> {
    return await this.store.get();
  }

  async canRefresh(): Promise<boolean> {
    return this.#refreshTokens !== undefined && (await this.tokens())?.refreshToken !== undefined;
  }

  /**
   * Refreshes the tokens once, however many callers ask at the same time.
   * @param staleAccessToken the access token the caller's request was rejected with. When the store already
   *   contains a different one, another request refreshed in the meantime and that token is returned as is.
   * @throws the refresh operation's error, after clearing the store and calling `onSessionExpired`.
   */
  async refresh(staleAccessToken?: string): Promise<TokenSet> {
    const current = await this.tokens();
    if (current && staleAccessToken !== undefined && current.accessToken !== staleAccessToken) return current;
    if (this.#refreshing) return await this.#refreshing;

    const refreshToken = current?.refreshToken;
    const refreshTokens = this.#refreshTokens;
    if (!refreshToken || !refreshTokens) throw new Error('No refresh token is stored; sign in again.');

    this.#refreshing = (async () => {
      try {
        const next = await refreshTokens(refreshToken);
        await this.store.set(next);
        return next;
      } catch (error) {
        await this.store.set(undefined);
        this.#onSessionExpired?.(error);
        throw error;
      } finally {
        this.#refreshing = undefined;
      }
    })();
    return await this.#refreshing;
  }

  /**
   * Returns an access token that stays valid for at least `minValidityMs`, refreshing first when the stored
   * one expires sooner. Returns `undefined` when signed out. Tokens without `expiresAt` are returned as is.
   */
  async accessToken(minValidityMs = 30_000): Promise<string | undefined> {
    const current = await this.tokens();
    if (!current) return undefined;
    const expiresSoon = current.expiresAt !== undefined && current.expiresAt - Date.now() < minValidityMs;
    if (expiresSoon && (await this.canRefresh()))
      return (await this.refresh(current.accessToken)).accessToken;
    return current.accessToken;
  }
}

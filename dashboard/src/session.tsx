// The signed-in session: the REST client, the current user with their rights, and the live-update socket.
import {
  createKatAppClient,
  type KatAppClient,
  KatAppProblemError,
  type Schemas,
  type TokenSet,
} from '@katapp/client';
import { KatAppSocket } from '@katapp/client/ws';
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { DashboardConfig } from './config.js';
import { SubscriptionKeeper } from './live/subscriptions.js';

export type CurrentUser = Schemas['CurrentUser'];
export type Right = Schemas['Right'];

/** sessionStorage key of the tokens. */
export const TOKEN_STORAGE_KEY = 'katapp.tokens';

/**
 * Keeps the tokens in sessionStorage: a reload keeps the session, closing the tab ends it, which suits shared
 * computers in a command post better than localStorage would.
 */
const sessionTokenStore = {
  get(): TokenSet | undefined {
    try {
      const raw = sessionStorage.getItem(TOKEN_STORAGE_KEY);
      return raw ? (JSON.parse(raw) as TokenSet) : undefined;
    } catch {
      return undefined;
    }
  },
  set(tokens: TokenSet | undefined): void {
    try {
      if (tokens) sessionStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify(tokens));
      else sessionStorage.removeItem(TOKEN_STORAGE_KEY);
    } catch {
      // Without storage the tokens live only in this page, so a reload shows the sign-in page again.
    }
  },
};

export type SessionState = 'restoring' | 'signed-out' | 'signed-in';

export interface Session {
  config: DashboardConfig;
  client: KatAppClient;
  state: SessionState;
  user: CurrentUser | undefined;
  /** Opened after sign-in for users with the WebSocket right. */
  socket: KatAppSocket | undefined;
  /** Disaster subscriptions on `socket`; take them here rather than on the socket directly. */
  subscriptions: SubscriptionKeeper | undefined;
  /** True after a refresh failed and the session ended on its own. */
  expired: boolean;
  hasRight(right: Right): boolean;
  signIn(email: string, password: string): Promise<void>;
  signOut(): Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ config, children }: { config: DashboardConfig; children: ReactNode }) {
  const [state, setState] = useState<SessionState>('restoring');
  const [user, setUser] = useState<CurrentUser | undefined>();
  const [expired, setExpired] = useState(false);

  const client = useMemo(
    () =>
      createKatAppClient({
        baseUrl: config.apiUrl,
        auth: {
          store: sessionTokenStore,
          onSessionExpired: () => {
            setUser(undefined);
            setExpired(true);
            setState('signed-out');
          },
        },
      }),
    [config.apiUrl],
  );

  const loadUser = useCallback(async () => {
    const { data } = await client.GET('/users/me');
    setUser(data);
    setExpired(false);
    setState('signed-in');
  }, [client]);

  useEffect(() => {
    let cancelled = false;
    void (async () => {
      if (!(await client.auth.tokens())) {
        if (!cancelled) setState('signed-out');
        return;
      }
      try {
        await loadUser();
      } catch (error) {
        if (cancelled) return;
        if (error instanceof KatAppProblemError && error.status === 401)
          await client.auth.store.set(undefined);
        else console.warn('Restoring the session failed; signing in again.', error);
        setState('signed-out');
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [client, loadUser]);

  const canUseSocket = user?.rights.includes('WebSocket') ?? false;
  const socket = useMemo(
    () =>
      canUseSocket
        ? new KatAppSocket({
            url: config.webSocketUrl,
            token: () => client.auth.accessToken(),
            onError: (error) => console.warn(error.message, error.cause ?? ''),
          })
        : undefined,
    [canUseSocket, client, config.webSocketUrl],
  );
  const subscriptions = useMemo(() => (socket ? new SubscriptionKeeper(socket) : undefined), [socket]);
  useEffect(() => {
    socket?.connect();
    return () => {
      subscriptions?.dispose();
      socket?.close();
    };
  }, [socket, subscriptions]);

  const signIn = useCallback(
    async (email: string, password: string) => {
      await client.login(email, password);
      await loadUser();
    },
    [client, loadUser],
  );

  const signOut = useCallback(async () => {
    try {
      await client.logout();
    } catch (error) {
      // The local tokens are gone either way; the refresh token then expires on the server by itself.
      console.warn('Signing out on the server failed.', error);
    }
    setUser(undefined);
    setExpired(false);
    setState('signed-out');
  }, [client]);

  const value = useMemo<Session>(
    () => ({
      config,
      client,
      state,
      user,
      socket,
      subscriptions,
      expired,
      hasRight: (right) => user?.rights.includes(right) ?? false,
      signIn,
      signOut,
    }),
    [config, client, state, user, socket, subscriptions, expired, signIn, signOut],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() needs a <SessionProvider> above the component.');
  return value;
}

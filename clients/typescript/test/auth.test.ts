// Bearer tokens and the refresh-and-retry flow against a real HTTP server that expires access tokens.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MemoryTokenStore, type TokenSet } from '../src/core/auth.js';
import { createContractClient } from '../src/core/client.js';
import { KatAppProblemError } from '../src/core/errors.js';
import { sendJson, startTestServer, type TestServer } from './support/http-server.js';
import { type TestPaths, testOperations } from './support/test-contract.js';

describe('authentication', () => {
  let server: TestServer;
  let validAccessToken = 'A2';
  let refreshCalls = 0;
  let refreshWorks = true;

  beforeAll(async () => {
    server = await startTestServer(async (request, response) => {
      if (request.rawUrl === '/refresh') {
        refreshCalls += 1;
        // A short delay lets concurrent 401s pile up behind one refresh.
        await new Promise((resolve) => setTimeout(resolve, 50));
        const { refreshToken } = JSON.parse(request.body.toString()) as { refreshToken: string };
        if (!refreshWorks || refreshToken !== 'R1') {
          sendJson(response, 401, {
            type: 'about:blank',
            title: 'Unauthorized',
            status: 401,
            code: 'INVALID_REFRESH_TOKEN',
          });
          return;
        }
        sendJson(response, 200, { accessToken: validAccessToken, refreshToken: 'R2' });
        return;
      }
      if (request.rawUrl === '/public') {
        sendJson(response, 200, { ok: request.headers.authorization === undefined });
        return;
      }
      if (request.headers.authorization !== `Bearer ${validAccessToken}`) {
        sendJson(
          response,
          401,
          { type: 'about:blank', title: 'Unauthorized', status: 401, code: 'TOKEN_EXPIRED' },
          'application/problem+json',
        );
        return;
      }
      sendJson(response, 200, { user: 'medic-1' });
    });
  });
  afterAll(() => server.close());

  beforeEach(() => {
    validAccessToken = 'A2';
    refreshCalls = 0;
    refreshWorks = true;
  });

  function createClient(initial: TokenSet | undefined, onSessionExpired?: (error: unknown) => void) {
    const store = new MemoryTokenStore(initial);
    const client = createContractClient<TestPaths>({
      baseUrl: server.baseUrl,
      operations: testOperations,
      auth: { store, ...(onSessionExpired ? { onSessionExpired } : {}) },
    });
    client.auth.useRefresh(async (refreshToken) => {
      const response = await fetch(`${server.baseUrl}/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      if (!response.ok) throw new Error(`refresh failed with ${response.status}`);
      return (await response.json()) as TokenSet;
    });
    return { client, store };
  }

  it('sends the stored bearer token', async () => {
    const { client } = createClient({ accessToken: 'A2' });
    const { data } = await client.GET('/secure');
    expect(data.user).toBe('medic-1');
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer A2');
  });

  it('sends no token to public operations', async () => {
    const { client } = createClient({ accessToken: 'A2' });
    const { data } = await client.GET('/public');
    expect(data.ok).toBe(true);
  });

  it('refreshes once and retries on 401', async () => {
    const { client, store } = createClient({ accessToken: 'A1', refreshToken: 'R1' });
    const { data } = await client.GET('/secure');
    expect(data.user).toBe('medic-1');
    expect(refreshCalls).toBe(1);
    expect(store.get()).toEqual({ accessToken: 'A2', refreshToken: 'R2' });
  });

  it('shares one refresh between concurrent requests', async () => {
    const { client } = createClient({ accessToken: 'A1', refreshToken: 'R1' });
    const results = await Promise.all(Array.from({ length: 5 }, () => client.GET('/secure')));
    expect(results.map((result) => result.data.user)).toEqual(Array(5).fill('medic-1'));
    expect(refreshCalls).toBe(1);
  });

  it('signs out when the refresh fails', async () => {
    refreshWorks = false;
    const expired: unknown[] = [];
    const { client, store } = createClient({ accessToken: 'A1', refreshToken: 'R1' }, (error) =>
      expired.push(error),
    );

    const error = await client.GET('/secure').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(KatAppProblemError);
    expect((error as KatAppProblemError).code).toBe('TOKEN_EXPIRED');
    expect((error as KatAppProblemError).cause).toBeInstanceOf(Error);
    expect(store.get()).toBeUndefined();
    expect(expired).toHaveLength(1);
  });

  it('throws a 401 without a refresh token', async () => {
    const { client } = createClient({ accessToken: 'A1' });
    await expect(client.GET('/secure')).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
    expect(refreshCalls).toBe(0);
  });

  it('does not retry a caller-set Authorization', async () => {
    const { client } = createClient({ accessToken: 'A1', refreshToken: 'R1' });
    await expect(client.GET('/secure', { headers: { Authorization: 'Bearer other' } })).rejects.toMatchObject(
      {
        status: 401,
      },
    );
    expect(refreshCalls).toBe(0);
  });

  it('refreshes a token that expires soon before use', async () => {
    const { client } = createClient({ accessToken: 'A1', refreshToken: 'R1', expiresAt: Date.now() + 1_000 });
    expect(await client.auth.accessToken(30_000)).toBe('A2');
    expect(refreshCalls).toBe(1);
  });
});

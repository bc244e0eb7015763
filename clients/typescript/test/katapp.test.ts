// createKatAppClient: the generated route table and the sign-in flows against a real HTTP server.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { routes } from '../../../generated/operations/index.js';
import { MemoryTokenStore } from '../src/core/auth.js';
import { KatAppProblemError } from '../src/core/errors.js';
import { createKatAppClient, katappOperations } from '../src/katapp.js';
import { sendJson, startTestServer, type TestServer } from './support/http-server.js';

const principal = {
  kind: 'user',
  id: '2a7d5c3e-9b1f-4e6a-8d0c-7f4e2b9a1c36',
  tenantId: '1d7c9e2a-4b3f-4a6e-8c5d-2f1e0a9b8c7d',
  displayName: 'Anna Schmidt',
  roles: ['CommandStaff'],
  rights: ['ActionViewTriage'],
};

function tokens(generation: number) {
  return {
    accessToken: `access.${generation}.sig`,
    tokenType: 'Bearer',
    expiresIn: 900,
    refreshToken: `krt_${String(generation).padStart(43, '0')}`,
    refreshTokenExpiresAt: '2030-01-01T00:00:00Z',
    principal,
  };
}

describe('katappOperations', () => {
  it('has one descriptor per generated route', () => {
    expect(katappOperations.map((operation) => operation.operationId)).toEqual(
      routes.map((route) => route.operationId),
    );
  });

  it('marks sign-in operations public', () => {
    const publicIds = katappOperations
      .filter((operation) => operation.public)
      .map((operation) => operation.operationId);
    expect(publicIds).toEqual(
      expect.arrayContaining(['login', 'refreshTokens', 'exchangeDeviceToken', 'registerUser']),
    );
    expect(publicIds).not.toContain('logout');
    expect(publicIds).not.toContain('uploadTriage');
  });

  it('copies parameter styles and body media types', () => {
    const upload = katappOperations.find((operation) => operation.operationId === 'uploadTriage');
    expect(upload?.method).toBe('PUT');
    expect(upload?.requestContentTypes).toEqual(['application/json']);
    expect(upload?.parameters).toEqual([{ name: 'triageId', in: 'path', style: 'simple', explode: false }]);
  });
});

describe('contract serialization on the wire', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer((request, response) => {
      if (request.method === 'PATCH') sendJson(response, 200, JSON.parse(request.body.toString()));
      else sendJson(response, 200, { items: [], nextCursor: null });
    });
  });
  afterAll(() => server.close());

  const katapp = () =>
    createKatAppClient({
      baseUrl: server.baseUrl,
      auth: { store: new MemoryTokenStore({ accessToken: 'a' }) },
    });

  it('sends listPatients category as a comma list next to exploded scalars', async () => {
    const disasterId = randomUUID();
    await katapp().GET('/disasters/{disasterId}/patients', {
      params: {
        path: { disasterId },
        query: { category: ['red', 'yellow'], updatedSince: '2025-06-14T09:00:00+02:00', limit: 50 },
      },
    });
    expect(server.requests.at(-1)?.rawUrl).toBe(
      `/disasters/${disasterId}/patients?category=red,yellow&updatedSince=2025-06-14T09%3A00%3A00%2B02%3A00&limit=50`,
    );
  });

  it('sends listDisasters near as one coordinate pair', async () => {
    await katapp().GET('/disasters', { params: { query: { near: [50.0379, 8.5622], radiusKm: 5 } } });
    expect(server.requests.at(-1)?.rawUrl).toBe('/disasters?near=50.0379,8.5622&radiusKm=5');
  });

  it('sends updatePatient as a merge patch', async () => {
    const patientId = randomUUID();
    await katapp().PATCH('/patients/{patientId}', {
      params: { path: { patientId } },
      body: { status: 'released' },
    });
    const request = server.requests.at(-1);
    expect(request?.rawUrl).toBe(`/patients/${patientId}`);
    expect(request?.headers['content-type']).toBe('application/merge-patch+json');
    expect(request?.body.toString()).toBe('{"status":"released"}');
  });
});

describe('createKatAppClient', () => {
  let server: TestServer;
  let generation = 0;
  let expiredAccessToken: string | undefined;
  let failLogout = false;

  beforeAll(async () => {
    server = await startTestServer((request, response) => {
      const body =
        request.body.length > 0 ? (JSON.parse(request.body.toString()) as Record<string, string>) : {};
      const path = request.rawUrl.split('?')[0] ?? '';
      if (path === '/auth/login') {
        if (body.password !== 'correct-horse-battery-staple') {
          sendJson(
            response,
            401,
            {
              type: '/problems/invalid-credentials',
              title: 'Invalid credentials',
              status: 401,
              code: 'INVALID_CREDENTIALS',
              requestId: 'r1',
            },
            'application/problem+json',
          );
          return;
        }
        generation += 1;
        sendJson(response, 200, tokens(generation));
      } else if (path === '/auth/device-token') {
        generation += 1;
        sendJson(response, 200, { ...tokens(generation), principal: { ...principal, kind: 'device' } });
      } else if (path === '/auth/refresh') {
        if (body.refreshToken !== tokens(generation).refreshToken) {
          sendJson(
            response,
            401,
            {
              type: '/problems/invalid-credentials',
              title: 'Invalid credentials',
              status: 401,
              code: 'INVALID_CREDENTIALS',
              requestId: 'r2',
            },
            'application/problem+json',
          );
          return;
        }
        generation += 1;
        sendJson(response, 200, tokens(generation));
      } else if (path === '/auth/logout') {
        if (failLogout)
          sendJson(
            response,
            500,
            {
              type: '/problems/internal',
              title: 'Internal error',
              status: 500,
              code: 'INTERNAL',
              requestId: 'r3',
            },
            'application/problem+json',
          );
        else response.writeHead(204).end();
      } else if (
        request.headers.authorization === undefined ||
        request.headers.authorization === `Bearer ${expiredAccessToken}`
      ) {
        sendJson(
          response,
          401,
          {
            type: '/problems/token-expired',
            title: 'Token expired',
            status: 401,
            code: 'TOKEN_EXPIRED',
            requestId: 'r4',
          },
          'application/problem+json',
        );
      } else {
        sendJson(response, 200, { id: path.split('/')[2], authorization: request.headers.authorization });
      }
    });
  });
  afterAll(() => server.close());
  beforeEach(() => {
    generation = 0;
    expiredAccessToken = undefined;
    failLogout = false;
  });

  it('logs in and stores the tokens', async () => {
    const store = new MemoryTokenStore();
    const katapp = createKatAppClient({ baseUrl: server.baseUrl, auth: { store } });
    const before = Date.now();

    const response = await katapp.login('anna.schmidt@klinikum-nord.example', 'correct-horse-battery-staple');

    expect(response.principal.displayName).toBe('Anna Schmidt');
    expect(store.get()?.accessToken).toBe('access.1.sig');
    expect(store.get()?.refreshToken).toBe(tokens(1).refreshToken);
    expect(store.get()?.expiresAt).toBeGreaterThanOrEqual(before + 900_000);
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('throws the problem of a failed login', async () => {
    const katapp = createKatAppClient({ baseUrl: server.baseUrl });
    const error = await katapp.login('anna@example.org', 'wrong').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KatAppProblemError);
    expect((error as KatAppProblemError).code).toBe('INVALID_CREDENTIALS');
    expect(await katapp.auth.tokens()).toBeUndefined();
  });

  it('exchanges a device token with the IMEI', async () => {
    const katapp = createKatAppClient({ baseUrl: server.baseUrl });
    const response = await katapp.exchangeDeviceToken(`kdt_${'a'.repeat(43)}`, '356938035643809');
    expect(response.principal.kind).toBe('device');
    expect(JSON.parse(server.requests.at(-1)?.body.toString() ?? '')).toEqual({
      deviceToken: `kdt_${'a'.repeat(43)}`,
      imei: '356938035643809',
    });
    expect((await katapp.auth.tokens())?.accessToken).toBe('access.1.sig');
  });

  it('refreshes an expired access token and retries', async () => {
    const katapp = createKatAppClient({ baseUrl: server.baseUrl });
    await katapp.login('anna.schmidt@klinikum-nord.example', 'correct-horse-battery-staple');
    expiredAccessToken = 'access.1.sig';
    const triageId = randomUUID();

    const { data } = await katapp.GET('/triages/{triageId}', { params: { path: { triageId } } });

    expect((data as unknown as { authorization: string }).authorization).toBe('Bearer access.2.sig');
    const paths = server.requests.slice(-3).map((request) => `${request.method} ${request.rawUrl}`);
    expect(paths).toEqual([`GET /triages/${triageId}`, 'POST /auth/refresh', `GET /triages/${triageId}`]);
    expect(JSON.parse(server.requests.at(-2)?.body.toString() ?? '')).toEqual({
      refreshToken: tokens(1).refreshToken,
    });
  });

  it('clears the tokens on logout even when it fails', async () => {
    const katapp = createKatAppClient({ baseUrl: server.baseUrl });
    await katapp.login('anna.schmidt@klinikum-nord.example', 'correct-horse-battery-staple');
    failLogout = true;

    await expect(katapp.logout()).rejects.toThrow(KatAppProblemError);

    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer access.1.sig');
    expect(await katapp.auth.tokens()).toBeUndefined();
  });
});

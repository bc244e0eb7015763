// Response decoding against a real node:http server: empty bodies, text/plain, problems and broken JSON.
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractClient } from '../src/core/client.js';
import { KatAppNetworkError, KatAppProblemError, KatAppResponseError } from '../src/core/errors.js';
import { type RecordedRequest, sendJson, startTestServer, type TestServer } from './support/http-server.js';
import { type TestPaths, testOperations } from './support/test-contract.js';

function respond(request: RecordedRequest, response: ServerResponse) {
  const url = new URL(request.rawUrl, 'http://test');
  if (url.pathname === '/ping') {
    response.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '4' });
    response.end(request.method === 'HEAD' ? undefined : 'pong');
    return;
  }
  const status = Number(url.pathname.split('/')[2]);
  const mode = url.searchParams.get('mode');
  if (mode === 'chunked') {
    // An explicit Transfer-Encoding makes Node send a zero-length chunked body without Content-Length.
    response.writeHead(status, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    response.end();
  } else if (mode === 'length0') {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': '0' });
    response.end();
  } else if (mode === 'problem') {
    sendJson(
      response,
      status,
      {
        type: 'https://katapp.example/problems/validation',
        title: 'Invalid request',
        status,
        code: 'VALIDATION_FAILED',
        detail: 'capturedAt is in the future',
        requestId: 'req-123',
        errors: [{ pointer: '/body/capturedAt', message: 'must not be in the future' }],
      },
      'application/problem+json',
    );
  } else if (mode === 'html') {
    response.writeHead(status, { 'Content-Type': 'text/html', 'x-amzn-RequestId': 'gw-9' });
    response.end('<html><body>Bad gateway</body></html>');
  } else if (mode === 'broken') {
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end('{"never":');
  } else {
    response.writeHead(status);
    response.end();
  }
}

describe('response parsing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(respond);
  });
  afterAll(() => server.close());

  const client = () =>
    createContractClient<TestPaths>({ baseUrl: server.baseUrl, operations: testOperations });
  const getEmpty = (status: number, mode?: string) =>
    client().GET('/empty/{status}', { params: { path: { status }, query: mode ? { mode } : {} } });

  it('returns undefined for a zero-length chunked 200', async () => {
    const { data, response } = await getEmpty(200, 'chunked');
    expect(response.headers.get('transfer-encoding')).toBe('chunked');
    expect(response.headers.get('content-length')).toBeNull();
    expect(data).toBeUndefined();
  });

  it('returns undefined for Content-Length 0', async () => {
    const { data } = await getEmpty(200, 'length0');
    expect(data).toBeUndefined();
  });

  it.each([204, 205])('returns undefined for %i', async (status) => {
    const { data, response } = await getEmpty(status);
    expect(response.status).toBe(status);
    expect(data).toBeUndefined();
  });

  it('returns text/plain as a string without parseAs', async () => {
    const { data } = await client().GET('/ping');
    expect(data).toBe('pong');
  });

  it('returns undefined for HEAD', async () => {
    const { data, response } = await client().HEAD('/ping');
    expect(response.status).toBe(200);
    expect(data).toBeUndefined();
  });

  it('honours an explicit parseAs', async () => {
    const { data } = await client().GET('/ping', { parseAs: 'arrayBuffer' });
    expect(new TextDecoder().decode(data)).toBe('pong');
  });

  it('throws the problem of a problem+json error', async () => {
    const error = await getEmpty(422, 'problem').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KatAppProblemError);
    const problem = error as KatAppProblemError;
    expect(problem.status).toBe(422);
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.requestId).toBe('req-123');
    expect(problem.problem.errors).toEqual([
      { pointer: '/body/capturedAt', message: 'must not be in the future' },
    ]);
    expect(problem.message).toBe(
      '422 Invalid request (VALIDATION_FAILED): capturedAt is in the future (/body/capturedAt must not be in the future) [request req-123]',
    );
  });

  it('turns a non-problem error body into an about:blank problem', async () => {
    const error = (await getEmpty(502, 'html').catch((caught: unknown) => caught)) as KatAppProblemError;
    expect(error).toBeInstanceOf(KatAppProblemError);
    expect(error.problem.type).toBe('about:blank');
    expect(error.problem.title).toBe('Bad Gateway');
    expect(error.problem.detail).toContain('Bad gateway');
    expect(error.requestId).toBe('gw-9');
  });

  it('throws a problem for an empty error body', async () => {
    const error = (await getEmpty(503).catch((caught: unknown) => caught)) as KatAppProblemError;
    expect(error.status).toBe(503);
    expect(error.problem.title).toBe('Service Unavailable');
  });

  it('reports invalid JSON in a 2xx body', async () => {
    await expect(getEmpty(200, 'broken')).rejects.toThrow(KatAppResponseError);
    await expect(getEmpty(200, 'broken')).rejects.toThrow(
      /is not valid JSON \(starts with "\{\\"never\\":"\)/,
    );
  });

  it('wraps a refused connection in KatAppNetworkError', async () => {
    const closed = await startTestServer(() => undefined);
    await closed.close();
    const offline = createContractClient<TestPaths>({ baseUrl: closed.baseUrl, operations: testOperations });
    const error = await offline.GET('/ping').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KatAppNetworkError);
    expect((error as KatAppNetworkError).message).toContain(
      `GET ${closed.baseUrl}/ping failed before a response`,
    );
  });
});

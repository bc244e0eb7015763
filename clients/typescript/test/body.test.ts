// Request body encoding: the test server checks the raw bytes, the Content-Type and the multipart boundary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareBody } from '../src/core/body.js';
import { createContractClient } from '../src/core/client.js';
import { KatAppRequestError } from '../src/core/errors.js';
import { type RecordedRequest, sendJson, startTestServer, type TestServer } from './support/http-server.js';
import { type TestPaths, testOperations } from './support/test-contract.js';

async function parseMultipart(request: RecordedRequest): Promise<FormData> {
  // The WHATWG Response parses multipart bodies; it fails the same way a server does without a boundary.
  const contentType = String(request.headers['content-type']);
  return await new Response(new Uint8Array(request.body), {
    headers: { 'Content-Type': contentType },
  }).formData();
}

describe('request bodies on the wire', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(async (request, response) => {
      if (request.rawUrl === '/echo') {
        response.writeHead(200, { 'Content-Type': 'text/plain' });
        response.end(request.body);
      } else if (request.rawUrl === '/upload') {
        const form = await parseMultipart(request);
        const file = form.get('file');
        sendJson(response, 201, { size: file instanceof Blob ? file.size : -1 });
      } else {
        sendJson(response, 200, { recordId: 'r1', name: JSON.parse(request.body.toString()).name });
      }
    });
  });
  afterAll(() => server.close());

  const client = () =>
    createContractClient<TestPaths>({ baseUrl: server.baseUrl, operations: testOperations });

  it('sends a text/plain body raw', async () => {
    const { data } = await client().POST('/echo', { body: 'hello' });
    const request = server.requests.at(-1);
    expect(request?.body.toString('utf8')).toBe('hello');
    expect(request?.headers['content-type']).toBe('text/plain');
    expect(data).toBe('hello');
  });

  it('drops an explicit multipart Content-Type so the boundary is set', async () => {
    const bytes = new Uint8Array(3000).map((_, index) => index % 251);
    const form = new FormData();
    form.append('file', new Blob([bytes], { type: 'image/jpeg' }), 'card.jpg');
    form.append('note', 'left arm');

    const { data, response } = await client().POST('/upload', {
      body: form as never,
      headers: { 'Content-Type': 'multipart/form-data' },
    });

    const request = server.requests.at(-1);
    expect(response.status).toBe(201);
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=.+/);
    const received = (await parseMultipart(request as RecordedRequest)).get('file') as Blob;
    expect(new Uint8Array(await received.arrayBuffer())).toEqual(bytes);
    expect(data.size).toBe(3000);
  });

  it('builds multipart form data from an object', async () => {
    const file = new Blob([new Uint8Array([1, 2, 3])], { type: 'application/octet-stream' });
    const { data } = await client().POST('/upload', { body: { file: file as never, note: 'x' } });
    expect(server.requests.at(-1)?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=.+/);
    expect(data.size).toBe(3);
  });

  it('sends a merge patch with its media type', async () => {
    const { data } = await client().PATCH('/records/{recordId}', {
      params: { path: { recordId: 'r1' } },
      body: { name: null },
    });
    const request = server.requests.at(-1);
    expect(request?.headers['content-type']).toBe('application/merge-patch+json');
    expect(request?.body.toString()).toBe('{"name":null}');
    expect(data.name).toBeNull();
  });
});

describe('prepareBody', () => {
  it('sends JSON by default', () => {
    expect(prepareBody({ a: 1 }, [], undefined)).toEqual({
      body: '{"a":1}',
      contentType: 'application/json',
    });
  });

  it('JSON-encodes a string for a JSON operation', () => {
    expect(prepareBody('x', ['application/json'], undefined)).toEqual({
      body: '"x"',
      contentType: 'application/json',
    });
  });

  it('sends bytes with the declared binary type', () => {
    const bytes = new Uint8Array([1]);
    expect(prepareBody(bytes, ['image/jpeg'], undefined)).toEqual({ body: bytes, contentType: 'image/jpeg' });
  });

  it('urlencodes an object for a form operation', () => {
    expect(prepareBody({ a: 'x y', b: [1, 2] }, ['application/x-www-form-urlencoded'], undefined)).toEqual({
      body: 'a=x+y&b=1&b=2',
      contentType: 'application/x-www-form-urlencoded',
    });
  });

  it('rejects a non-string text body', () => {
    expect(() => prepareBody({ a: 1 }, ['text/plain'], 'text/plain')).toThrow(KatAppRequestError);
  });
});

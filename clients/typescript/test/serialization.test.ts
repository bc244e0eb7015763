// Path, query and header serialization: tables for every style, and real requests checked on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractClient } from '../src/core/client.js';
import { KatAppRequestError } from '../src/core/errors.js';
import { expandPath, type ParameterSerialization, serializeQuery } from '../src/core/params.js';
import { sendJson, startTestServer, type TestServer } from './support/http-server.js';
import { type TestPaths, testOperations } from './support/test-contract.js';

describe('serializeQuery', () => {
  const cases: [string, ParameterSerialization, unknown, string][] = [
    ['form explode (default)', { name: 'ids', in: 'query' }, [1, 2, 3], 'ids=1&ids=2&ids=3'],
    ['form explode false', { name: 'ids', in: 'query', explode: false }, [1, 2, 3], 'ids=1,2,3'],
    [
      'pipeDelimited',
      { name: 'ids', in: 'query', style: 'pipeDelimited', explode: false },
      [1, 2, 3],
      'ids=1%7C2%7C3',
    ],
    [
      'spaceDelimited',
      { name: 'ids', in: 'query', style: 'spaceDelimited', explode: false },
      [1, 2],
      'ids=1%202',
    ],
    [
      'pipeDelimited explode',
      { name: 'ids', in: 'query', style: 'pipeDelimited', explode: true },
      [1, 2],
      'ids=1&ids=2',
    ],
    ['plus in a value', { name: 'q', in: 'query' }, 'a+b c', 'q=a%2Bb%20c'],
    ['comma inside an item', { name: 'ids', in: 'query', explode: false }, ['a,b', 'c'], 'ids=a%2Cb,c'],
    ['object form explode', { name: 'f', in: 'query' }, { a: 1, b: 'x y' }, 'a=1&b=x%20y'],
    ['object form explode false', { name: 'f', in: 'query', explode: false }, { a: 1, b: 2 }, 'f=a,1,b,2'],
    [
      'deepObject',
      { name: 'f', in: 'query', style: 'deepObject', explode: true },
      { a: 1, b: '&' },
      'f[a]=1&f[b]=%26',
    ],
    [
      'Date as RFC 3339',
      { name: 't', in: 'query' },
      new Date(Date.UTC(2026, 0, 2, 3, 4, 5)),
      't=2026-01-02T03%3A04%3A05.000Z',
    ],
    [
      'allowReserved keeps reserved',
      { name: 'p', in: 'query', allowReserved: true },
      'a/b:c+d',
      'p=a/b:c%2Bd',
    ],
    ['empty array left out', { name: 'ids', in: 'query' }, [], ''],
    ['encoded name', { name: 'a b', in: 'query' }, 'x', 'a%20b=x'],
  ];

  it.each(cases)('%s', (_label, spec, value, expected) => {
    expect(serializeQuery({ [spec.name]: value }, [spec])).toBe(expected);
  });

  it('leaves out undefined and null values', () => {
    expect(serializeQuery({ a: undefined, b: null, c: 0 })).toBe('c=0');
  });

  it('rejects an array for deepObject', () => {
    const spec: ParameterSerialization = { name: 'f', in: 'query', style: 'deepObject' };
    expect(() => serializeQuery({ f: [1] }, [spec])).toThrow(KatAppRequestError);
  });

  it('rejects nested objects inside an array', () => {
    expect(() => serializeQuery({ ids: [{ a: 1 }] })).toThrow(/only strings, numbers, booleans and Dates/);
  });
});

describe('expandPath', () => {
  const cases: [string, ParameterSerialization, unknown, string][] = [
    ['simple string', { name: 'id', in: 'path' }, '/foo?bar', '/x/%2Ffoo%3Fbar'],
    ['reserved characters', { name: 'id', in: 'path' }, 'a#b%c+d e|f', '/x/a%23b%25c%2Bd%20e%7Cf'],
    ['simple array', { name: 'id', in: 'path' }, [1, 2], '/x/1,2'],
    ['simple object explode', { name: 'id', in: 'path', explode: true }, { a: 1, b: 2 }, '/x/a=1,b=2'],
    ['simple object', { name: 'id', in: 'path' }, { a: 1, b: 2 }, '/x/a,1,b,2'],
    ['label', { name: 'id', in: 'path', style: 'label' }, 'v', '/x/.v'],
    ['label array explode', { name: 'id', in: 'path', style: 'label', explode: true }, [1, 2], '/x/.1.2'],
    ['matrix', { name: 'id', in: 'path', style: 'matrix' }, 'v', '/x/;id=v'],
    [
      'matrix array explode',
      { name: 'id', in: 'path', style: 'matrix', explode: true },
      [1, 2],
      '/x/;id=1;id=2',
    ],
  ];

  it.each(cases)('%s', (_label, spec, value, expected) => {
    expect(expandPath('/x/{id}', { id: value }, [spec])).toBe(expected);
  });

  it('rejects a missing value', () => {
    expect(() => expandPath('/x/{id}', {})).toThrow('Path parameter "id" of /x/{id} is missing');
  });

  it.each(['', '.', '..'])('rejects the segment %j', (value) => {
    expect(() => expandPath('/x/{id}', { id: value })).toThrow(/removed by URL normalization/);
  });
});

describe('requests on the wire', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer((request, response) => {
      if (request.rawUrl.startsWith('/hello/')) sendJson(response, 200, { slug: request.rawUrl.slice(7) });
      else sendJson(response, 200, { count: 0 });
    });
  });
  afterAll(() => server.close());

  const client = () =>
    createContractClient<TestPaths>({ baseUrl: server.baseUrl, operations: testOperations });

  it('sends a path parameter as one segment', async () => {
    const { data } = await client().GET('/hello/{slug}', { params: { path: { slug: '/foo?bar' } } });
    expect(server.requests.at(-1)?.rawUrl).toBe('/hello/%2Ffoo%3Fbar');
    expect(data.slug).toBe('%2Ffoo%3Fbar');
  });

  it('serializes two query styles in one operation', async () => {
    await client().GET('/items', { params: { query: { ids: [1, 2, 3], tags: ['a+b', 'c'] } } });
    expect(server.requests.at(-1)?.rawUrl).toBe('/items?ids=1,2,3&tags=a%2Bb&tags=c');
  });

  it('sends pipeDelimited with an encoded pipe', async () => {
    await client().GET('/items', { params: { query: { pipes: [1, 2, 3], q: '+' } } });
    expect(server.requests.at(-1)?.rawUrl).toBe('/items?pipes=1%7C2%7C3&q=%2B');
  });

  it('sends a coordinate pair as one form value', async () => {
    await client().GET('/items', {
      params: { query: { near: [52.52, 13.405], filter: { status: 'active' } } },
    });
    expect(server.requests.at(-1)?.rawUrl).toBe('/items?near=52.52,13.405&filter[status]=active');
  });

  it('serializes an array header parameter', async () => {
    await client().GET('/items', { params: { header: { 'X-Trace': ['a', 'b'] } } });
    expect(server.requests.at(-1)?.headers['x-trace']).toBe('a,b');
  });

  it('sends nothing when a path parameter is missing', async () => {
    const before = server.requests.length;
    // @ts-expect-error the path parameter is required by the contract types
    await expect(client().GET('/hello/{slug}', { params: {} })).rejects.toThrow(KatAppRequestError);
    expect(server.requests.length).toBe(before);
  });
});

// Responses the local REST gateway produces itself: routing misses, request validation, the Lambda authorizer and its
// cache, gateway responses, CORS, binary media types, payload and timeout limits, and response mapping.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FixturePlatform, startFixturePlatform } from './support/fixture-platform.js';

let platform: FixturePlatform;

beforeAll(async () => {
  platform = await startFixturePlatform({ integrationTimeoutMs: 1500 });
});

afterAll(async () => {
  await platform?.dispose();
});

function authorizerCalls(token: string): number {
  return platform.printed('Authorizer').filter((line) => line.token === token).length;
}

describe('gateway responses', () => {
  it('unknown method answers 403 Missing Authentication Token', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { method: 'PATCH' });
    expect(response.status).toBe(403);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await response.json()) as { title: string; status: number; requestId: string };
    expect(body.title).toBe('Missing Authentication Token');
    expect(body.status).toBe(403);
    expect(body.requestId).toBe(response.headers.get('x-amzn-requestid'));
  });

  it('invalid body answers 400 with the validation errors', async () => {
    const response = await fetch(`${platform.urls.rest}/items/1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ count: -1, extra: true }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { title: string; detail: string };
    expect(body.title).toBe('Invalid request body');
    expect(body.detail).toContain("must have required property 'name'");
    expect(body.detail).toContain('must be >= 0');
  });

  it('malformed JSON body answers 400', async () => {
    const response = await fetch(`${platform.urls.rest}/items/1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '[',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { title: string }).title).toBe('Invalid request body');
  });

  it('valid body reaches the function', async () => {
    const response = await fetch(`${platform.urls.rest}/items/1`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'a', count: 2, format: 'kept as a property name' }),
    });
    expect(response.status).toBe(200);
  });

  it('missing required query answers 400', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts`);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { title: string };
    expect(body.title).toBe('Missing required request parameters: [limit]');
  });
});

describe('Lambda authorizer', () => {
  it('missing identity answers 401 without calling it', async () => {
    const before = platform.printed('Authorizer').length;
    const response = await fetch(`${platform.urls.rest}/secure/1`);
    expect(response.status).toBe(401);
    expect(platform.printed('Authorizer').length).toBe(before);
  });

  it('"Unauthorized" failure answers 401', async () => {
    const response = await fetch(`${platform.urls.rest}/secure/1`, { headers: { Authorization: 'nobody' } });
    expect(response.status).toBe(401);
  });

  it('explicit deny answers 403', async () => {
    const response = await fetch(`${platform.urls.rest}/secure/1`, { headers: { Authorization: 'deny' } });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { title: string };
    expect(body.title).toBe('User is not authorized to access this resource with an explicit deny');
  });

  it('invalid policy answers 500', async () => {
    const response = await fetch(`${platform.urls.rest}/secure/1`, { headers: { Authorization: 'broken' } });
    expect(response.status).toBe(500);
  });

  it('passes principal and context as strings', async () => {
    const response = await fetch(`${platform.urls.rest}/secure/1`, { headers: { Authorization: 'allow' } });
    expect(response.status).toBe(200);
    const event = (await response.json()) as { requestContext: { authorizer: Record<string, unknown> } };
    expect(event.requestContext.authorizer).toMatchObject({
      principalId: 'user-allow',
      tenantId: 'tenant-1',
      rightsCount: '3',
      admin: 'false',
    });
    expect(typeof event.requestContext.authorizer.integrationLatency).toBe('number');
  });

  it('cached policy applies to the next method', async () => {
    const get = await fetch(`${platform.urls.rest}/secure/7`, { headers: { Authorization: 'allow-get' } });
    expect(get.status).toBe(200);
    const del = await fetch(`${platform.urls.rest}/secure/7`, {
      method: 'DELETE',
      headers: { Authorization: 'allow-get' },
    });
    expect(del.status).toBe(403);
    expect(authorizerCalls('allow-get')).toBe(1);
  });
});

describe('integration responses', () => {
  it('empty body carries Content-Length 0', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { headers: { 'x-echo-body': 'empty' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('0');
    expect(response.headers.get('transfer-encoding')).toBeNull();
    expect(await response.text()).toBe('');
  });

  it('two Set-Cookie headers survive', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { headers: { 'x-echo-cookies': '1' } });
    expect(response.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2; Path=/']);
  });

  it('status from the function is kept', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { headers: { 'x-echo-status': '418' } });
    expect(response.status).toBe(418);
  });

  it('malformed result answers 502', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, {
      headers: { 'x-echo-malformed': '1' },
    });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { title: string }).title).toBe('Internal server error');
  });

  it('function error answers 502', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { headers: { 'x-echo-throw': '1' } });
    expect(response.status).toBe(502);
  });

  it('slow function answers 504', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, {
      headers: { 'x-echo-sleep-ms': '2500' },
    });
    expect(response.status).toBe(504);
    expect(((await response.json()) as { title: string }).title).toBe('Endpoint request timed out');
  });

  it('time in the local instance queue does not count toward the timeout', async () => {
    // Nine requests of 1 s against at most 8 instances. The ninth finishes about 2 s after it was sent, beyond
    // the 1.5 s timeout, but its invocation takes only 1 s.
    const statuses = await Promise.all(
      Array.from({ length: 9 }, async () => {
        const response = await fetch(`${platform.urls.rest}/accounts/1`, {
          headers: { 'x-echo-sleep-ms': '1000' },
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses).toEqual(Array.from({ length: 9 }, () => 200));
  });

  it('binary response is decoded for a binary Accept', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, {
      headers: { 'x-echo-binary': '1', Accept: 'image/png' },
    });
    expect(Buffer.from(await response.arrayBuffer())).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff]),
    );
  });

  it('payload over 10 MB answers 413', async () => {
    const response = await fetch(`${platform.urls.rest}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/octet-stream' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });

  it('CORS preflight is answered by the mock integration', async () => {
    const response = await fetch(`${platform.urls.rest}/resource/1`, { method: 'OPTIONS' });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-methods')).toBe('GET,PUT,OPTIONS');
    expect(response.headers.get('content-length')).toBe('0');
  });

  it('function environment points at local resources', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`);
    expect(response.headers.get('x-function-env-table')).toBe('Fixture-DataTable');
  });

  it('logs one line per request', () => {
    const lines = platform.logLines.filter((line) => line.startsWith('info REST GET /accounts/1 200'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines[0]).toMatch(/ \d+ ms Echo \((cold|warm)\)$/);
  });
});

describe('Lambda permissions', () => {
  it('literal {id} in SourceArn answers 500', async () => {
    const response = await fetch(`${platform.urls.rest}/unpermitted/1`);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { title: string }).title).toBe('Internal server error');
    expect(
      platform.logLines.some((line) => line.includes('Invalid permissions on Lambda function Stream')),
    ).toBe(true);
  });
});

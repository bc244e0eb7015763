// Parity suite: events the local REST gateway builds, compared field by field with the documented
// API Gateway shapes kept in test/fixtures/events/rest-*.json.

import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareWithShape } from './support/compare.js';
import { type FixturePlatform, startFixturePlatform } from './support/fixture-platform.js';

const EVENTS_DIR = fileURLToPath(new URL('./fixtures/events', import.meta.url));

interface RestCase {
  description: string;
  request: {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: string;
    bodyBase64?: string;
  };
  expected: Record<string, unknown>;
}

const cases = readdirSync(EVENTS_DIR)
  .filter((file) => file.startsWith('rest-'))
  .map((file) => ({ file, ...(JSON.parse(readFileSync(`${EVENTS_DIR}/${file}`, 'utf8')) as RestCase) }));

let platform: FixturePlatform;

beforeAll(async () => {
  platform = await startFixturePlatform();
});

afterAll(async () => {
  await platform?.dispose();
});

describe('REST proxy event parity', () => {
  it('covers the documented cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
  });

  it.each(cases)('$file', async ({ request, expected, description }) => {
    const body = request.bodyBase64 ? Buffer.from(request.bodyBase64, 'base64') : request.body;
    const response = await fetch(`${platform.urls.rest}${request.path}`, {
      method: request.method,
      headers: { 'User-Agent': 'parity-test', ...request.headers },
      ...(body === undefined ? {} : { body }),
    });
    expect(response.status, description).toBe(200);
    const event = (await response.json()) as Record<string, unknown>;
    expect(compareWithShape(expected, event), description).toEqual([]);
  });

  it('encodes the B22 characters exactly as sent', async () => {
    const raw = '%2F%20+@%40:%7C';
    const response = await fetch(`${platform.urls.rest}/resource/${raw}`);
    const event = (await response.json()) as { pathParameters: { id: string }; resource: string };
    expect(event.resource).toBe('/resource/{id}');
    expect(event.pathParameters.id).toBe(raw);
  });

  it('adds the forwarding headers API Gateway adds', async () => {
    const response = await fetch(`${platform.urls.rest}/accounts/1`, { headers: { 'X-Custom': 'one' } });
    const event = (await response.json()) as {
      headers: Record<string, string>;
      multiValueHeaders: Record<string, string[]>;
    };
    expect(event.headers['X-Forwarded-For']).toBe('127.0.0.1');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    const custom = Object.entries(event.multiValueHeaders).find(
      ([name]) => name.toLowerCase() === 'x-custom',
    );
    expect(custom?.[1]).toEqual(['one']);
  });
});

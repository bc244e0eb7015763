// Starts the real mock (Prism behind the front proxy) on a free port and checks its responses against the
// contract with the generated validators.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations, schemas } from '../../../generated/validators/index.js';
import { type MockServer, startMock } from '../start.js';

const DISASTER_ID = '6f1c2a9e-3b7d-4e58-9c04-1a2b3c4d5e6f';
const TRIAGE_ID = '5d0c1bb4-8f4e-4c59-9d7b-2f0a9a3c6e11';
const BEARER = { authorization: 'Bearer mock-access-token' };

type Json = Record<string, unknown>;

let mock: MockServer;
let contract: Json;

/** Returns the value of the first example of an operation's JSON request body in the bundled contract. */
function requestExample(path: string, method: string): Json {
  const paths = contract.paths as Record<string, Record<string, Json>>;
  const operation = paths[path]?.[method];
  const content = (operation?.requestBody as Json | undefined)?.content as Record<string, Json> | undefined;
  const examples = content?.['application/json']?.examples as Record<string, { value: Json }> | undefined;
  const first = examples === undefined ? undefined : Object.values(examples)[0];
  if (first === undefined) throw new Error(`${method.toUpperCase()} ${path} has no JSON request example`);
  return structuredClone(first.value);
}

/** Lists the operations whose request body or responses reference a component schema. */
function operationsReferencing(schemaRef: string): string[] {
  const users: string[] = [];
  for (const pathItem of Object.values(contract.paths as Record<string, Record<string, Json>>)) {
    for (const operation of Object.values(pathItem)) {
      if (typeof operation?.operationId !== 'string') continue;
      const text = JSON.stringify([operation.requestBody, operation.responses]);
      if (text.includes(`"${schemaRef}"`)) users.push(operation.operationId);
    }
  }
  return users;
}

async function call(method: string, path: string, init: { headers?: Json; body?: string } = {}) {
  const response = await fetch(`${mock.url}${path}`, {
    method,
    headers: init.headers as Record<string, string> | undefined,
    body: init.body,
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  const body: unknown = text === '' ? undefined : JSON.parse(text);
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body };
}

function validationErrors(validate: { (data: unknown): boolean; errors?: unknown }, data: unknown): unknown {
  return validate(data) ? [] : validate.errors;
}

beforeAll(async () => {
  mock = await startMock({ port: 0 });
  contract = JSON.parse(await readFile(mock.contractPath, 'utf8')) as Json;
});

afterAll(async () => {
  await mock?.stop();
});

describe('contract mock', () => {
  it('serves getHealth', async () => {
    const response = await call('GET', '/health');
    expect(response.status).toBe(200);
    expect(validationErrors(operations.getHealth.responses['200'] as never, response.body)).toEqual([]);
  });

  it('serves listTenants', async () => {
    const response = await call('GET', '/tenants');
    expect(response.status).toBe(200);
    expect(validationErrors(operations.listTenants.responses['200'] as never, response.body)).toEqual([]);
  });

  it('serves getDisasterOverview with a bearer token', async () => {
    const response = await call('GET', `/disasters/${DISASTER_ID}/overview`, { headers: BEARER });
    expect(response.status).toBe(200);
    expect(validationErrors(operations.getDisasterOverview.responses['200'] as never, response.body)).toEqual(
      [],
    );
  });

  it('rejects getDisasterOverview without a token', async () => {
    const response = await call('GET', `/disasters/${DISASTER_ID}/overview`);
    expect(response.status).toBe(401);
    expect(response.contentType).toContain('application/problem+json');
    expect(validationErrors(operations.getDisasterOverview.responses['401'] as never, response.body)).toEqual(
      [],
    );
  });

  it('accepts the uploadTriage example', async () => {
    const response = await call('PUT', `/triages/${TRIAGE_ID}`, {
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: JSON.stringify(requestExample('/triages/{triageId}', 'put')),
    });
    expect([200, 201]).toContain(response.status);
  });

  it('rejects uploadTriage with a wrong category', async () => {
    const triage = requestExample('/triages/{triageId}', 'put');
    triage.category = 'purple';
    const response = await call('PUT', `/triages/${TRIAGE_ID}`, {
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: JSON.stringify(triage),
    });

    expect(response.status).toBe(400);
    expect(validationErrors(operations.uploadTriage.responses['400'] as never, response.body)).toEqual([]);
    const problem = response.body as { code: string; errors: { pointer: string; message: string }[] };
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors.map((error) => error.pointer)).toEqual(['/category']);
    expect(problem.errors[0]?.message).toContain('red');
  });

  // Prism has skipped validation for a schema that several operations reference; the triage schema is one.
  it('validates a schema shared by several operations', async () => {
    const users = operationsReferencing('#/components/schemas/Triage');
    expect(users.length).toBeGreaterThan(1);
    expect(users).toContain('uploadTriage');

    const triage = requestExample('/triages/{triageId}', 'put');
    delete triage.cardCode;
    const response = await call('PUT', `/triages/${TRIAGE_ID}`, {
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: JSON.stringify(triage),
    });

    expect(response.status).toBe(400);
    const problem = response.body as { errors: { pointer: string }[] };
    expect(problem.errors.map((error) => error.pointer)).toEqual(['/cardCode']);
  });

  it('names the parameter of an invalid path', async () => {
    const response = await call('GET', '/triages/not-a-uuid', { headers: BEARER });
    expect(response.status).toBe(400);
    expect(validationErrors(operations.getTriage.responses['400'] as never, response.body)).toEqual([]);
    const problem = response.body as { errors: { pointer: string }[] };
    expect(problem.errors.map((error) => error.pointer)).toEqual(['/path/triageId']);
  });

  it('returns 415 for an unparseable Content-Type', async () => {
    const response = await call('PUT', `/triages/${TRIAGE_ID}`, {
      headers: { ...BEARER, 'content-type': 'undefined' },
      body: JSON.stringify(requestExample('/triages/{triageId}', 'put')),
    });
    expect(response.status).toBe(415);
    expect(response.contentType).toBe('application/problem+json');
    expect(validationErrors(schemas.Problem, response.body)).toEqual([]);
    expect((response.body as { code: string }).code).toBe('UNSUPPORTED_MEDIA_TYPE');

    const next = await call('GET', '/health');
    expect(next.status).toBe(200);
  });

  it('returns 400 for a body that is not JSON', async () => {
    const response = await call('PUT', `/triages/${TRIAGE_ID}`, {
      headers: { ...BEARER, 'content-type': 'application/json' },
      body: '[',
    });
    expect(response.status).toBe(400);
    expect(validationErrors(schemas.Problem, response.body)).toEqual([]);
    expect((response.body as { code: string }).code).toBe('VALIDATION_FAILED');
  });

  it('returns 404 for an unknown path', async () => {
    const response = await call('GET', '/no-such-resource', { headers: BEARER });
    expect(response.status).toBe(404);
    expect(validationErrors(schemas.Problem, response.body)).toEqual([]);
    expect((response.body as { code: string }).code).toBe('NOT_FOUND');
  });

  it('returns 404 for an undeclared method', async () => {
    const response = await call('DELETE', '/health');
    expect(response.status).toBe(404);
    expect(validationErrors(schemas.Problem, response.body)).toEqual([]);
    expect((response.body as { code: string }).code).toBe('NOT_FOUND');
  });
});

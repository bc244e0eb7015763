/** The REST adapter: routing, body and parameter validation, problem+json errors and response serialisation. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes as healthRoutes } from '../../../generated/operations/functions/health.js';
import { routes as userRoutes } from '../../../generated/operations/functions/users.js';
import { operations as healthValidators } from '../../../generated/validators/functions/health.js';
import { operations as userValidators } from '../../../generated/validators/functions/users.js';
import { toAuthorizerContext } from '../../src/auth/authorizer-context.js';
import { createRestHandler } from '../../src/http/adapter.js';
import { logger } from '../../src/observability/index.js';
import { routeOf, TestGateway } from '../setup/gateway.js';
import { demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

describe('REST adapter', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform.stop();
  });

  async function send(
    operationId: Parameters<typeof routeOf>[0],
    change: (event: ReturnType<TestGateway['buildEvent']>) => void,
  ) {
    const route = routeOf(operationId);
    const event = gateway.buildEvent(route, {});
    change(event);
    const handler = await gateway.handlerFor(route.function);
    const response = await handler(event);
    return {
      response,
      problem: response.body === '' ? undefined : (JSON.parse(response.body) as Record<string, unknown>),
    };
  }

  it('answers 400 with a pointer for malformed JSON', async () => {
    const { response, problem } = await send('login', (event) => {
      event.headers = { 'Content-Type': 'application/json' };
      event.body = '{"email":';
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers?.['Content-Type']).toBe('application/problem+json');
    expect(problem).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '', message: 'must be valid JSON' }],
    });
  });

  it('answers 415 for a body of another media type', async () => {
    const { response, problem } = await send('login', (event) => {
      event.headers = { 'content-type': 'text/plain' };
      event.body = 'email=a@b.c';
    });
    expect(response.statusCode).toBe(415);
    expect(problem).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('answers 413 for a body over 256 KiB', async () => {
    const { response, problem } = await send('login', (event) => {
      event.headers = { 'Content-Type': 'application/json' };
      event.body = JSON.stringify({ email: 'a@b.example', password: 'x'.repeat(300 * 1024) });
    });
    expect(response.statusCode).toBe(413);
    expect(problem).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 400 when a required body is missing', async () => {
    const { response, problem } = await send('login', () => {});
    expect(response.statusCode).toBe(400);
    expect(problem?.errors).toEqual([{ pointer: '', message: 'request body is required' }]);
  });

  it('names each invalid body field and query parameter', async () => {
    const body = await send('login', (event) => {
      event.headers = { 'Content-Type': 'application/json; charset=utf-8' };
      event.body = JSON.stringify({ email: 'not-an-address', password: 'short', extra: true });
    });
    expect(body.response.statusCode).toBe(400);
    const errors = (body.problem?.errors ?? []) as { pointer: string }[];
    const pointers = errors.map((error) => error.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/email', '/password', '/extra']));

    const query = await send('listTenants', (event) => {
      event.multiValueQueryStringParameters = { limit: ['0'] };
      event.queryStringParameters = { limit: '0' };
    });
    expect(query.response.statusCode).toBe(400);
    expect(query.problem?.errors).toEqual([expect.objectContaining({ pointer: '/query/limit' })]);

    // The validators coerce "Infinity" to a number and skip its range check; the adapter rejects it.
    for (const limit of ['Infinity', '-Infinity']) {
      const infinite = await send('listTenants', (event) => {
        event.multiValueQueryStringParameters = { limit: [limit] };
        event.queryStringParameters = { limit };
      });
      expect(infinite.response.statusCode, limit).toBe(400);
      expect(infinite.problem?.errors).toEqual([
        { pointer: '/query/limit', message: 'must be a finite number' },
      ]);
    }
  });

  it('decodes a base64-encoded body', async () => {
    const { response } = await send('login', (event) => {
      event.headers = { 'Content-Type': 'application/json' };
      event.body = Buffer.from(
        JSON.stringify({ email: 'nobody@example.org', password: 'a-long-enough-password' }),
      ).toString('base64');
      event.isBase64Encoded = true;
    });
    expect(response.statusCode).toBe(401);
  });

  it('answers 404 for a resource the function does not serve', async () => {
    const { response, problem } = await send('login', (event) => {
      event.resource = '/nowhere';
    });
    expect(response.statusCode).toBe(404);
    expect(problem).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('answers 401 for an authenticated operation without authorizer context', async () => {
    const { response, problem } = await send('listUsers', () => {});
    expect(response.statusCode).toBe(401);
    expect(problem).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('answers 401 TOKEN_EXPIRED for a cached authorizer result of an expired token', async () => {
    const demo = demoOf(platform.seed);
    const principal = {
      kind: 'user' as const,
      id: demo.admin.userId,
      userId: demo.admin.userId,
      roles: [],
      rights: new Set<never>(),
    };
    const { response, problem } = await send('logout', (event) => {
      // API Gateway passes context numbers as strings.
      const context = toAuthorizerContext(demo.tenantId, principal, new Date(Date.now() - 1_000));
      event.requestContext.authorizer = { ...context, expiresAt: String(context.expiresAt) };
    });
    expect(response.statusCode).toBe(401);
    expect(problem).toMatchObject({ code: 'TOKEN_EXPIRED' });
  });

  it('sends an empty body without Content-Type for 204', async () => {
    const demo = demoOf(platform.seed);
    const { response } = await send('logout', (event) => {
      event.requestContext.authorizer = {
        ...toAuthorizerContext(demo.tenantId, {
          kind: 'user',
          id: demo.admin.userId,
          userId: demo.admin.userId,
          roles: [],
          rights: new Set(),
        }),
      };
    });
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(response.headers?.['Content-Type']).toBeUndefined();
  });

  it('hides the cause of a 500 and logs it with the request id', async () => {
    const failing = createRestHandler(
      'health',
      {
        getHealth: async () => {
          throw new Error('connection string postgres://admin:hunter2@db');
        },
      },
      { routes: healthRoutes, validators: healthValidators },
    );
    const written: string[] = [];
    const originalStdout = process.stdout.write.bind(process.stdout);
    const originalStderr = process.stderr.write.bind(process.stderr);
    const record = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    logger.setLogLevel('ERROR');
    process.stdout.write = record;
    process.stderr.write = record;
    let response: Awaited<ReturnType<typeof failing>>;
    try {
      response = await failing(gateway.buildEvent(routeOf('getHealth'), {}));
    } finally {
      process.stdout.write = originalStdout;
      process.stderr.write = originalStderr;
      logger.setLogLevel('SILENT');
    }
    const problem = JSON.parse(response.body) as { detail: string; requestId: string; code: string };
    expect(response.statusCode).toBe(500);
    expect(problem.code).toBe('INTERNAL');
    expect(response.body).not.toContain('hunter2');
    expect(problem.detail).toContain(problem.requestId);
    const log = written.join('');
    expect(log).toContain('hunter2');
    expect(log).toContain(problem.requestId);
  });

  it('fails at creation when an operation of the function has no implementation', () => {
    expect(() =>
      createRestHandler('users', {} as never, { routes: userRoutes, validators: userValidators }),
    ).toThrow(/no implementation for listUsers/);
  });

  it('fails at creation without validators for an operation', () => {
    const { listUsers: _omitted, ...partial } = userValidators;
    expect(() =>
      createRestHandler('users', {} as never, { routes: userRoutes, validators: partial as never }),
    ).toThrow(/no implementation for listUsers/);
    const implementations = Object.fromEntries(
      Object.keys(userValidators).map((operationId) => [operationId, async () => ({ status: 204 })]),
    );
    expect(() =>
      createRestHandler('users', implementations as never, {
        routes: userRoutes,
        validators: partial as never,
      }),
    ).toThrow(
      /no request validators for listUsers\. Pass the operations of generated\/validators\/functions\/users\.js/,
    );
  });

  it('fails at creation with routes of another function', () => {
    const implementations = Object.fromEntries(
      Object.keys(userValidators).map((operationId) => [operationId, async () => ({ status: 204 })]),
    );
    const mixed = [...userRoutes, ...healthRoutes];
    expect(() =>
      createRestHandler('users', implementations as never, {
        routes: mixed as never,
        validators: userValidators,
      }),
    ).toThrow(
      /got routes of other functions: getHealth \(health\)\. Pass the routes of generated\/operations\/functions\/users\.ts/,
    );
  });

  it('fails at creation when a validated operation has no route', () => {
    const implementations = Object.fromEntries(
      Object.keys(userValidators).map((operationId) => [operationId, async () => ({ status: 204 })]),
    );
    const withoutListUsers = userRoutes.filter((route) => route.operationId !== 'listUsers');
    expect(() =>
      createRestHandler('users', implementations as never, {
        routes: withoutListUsers,
        validators: userValidators,
      }),
    ).toThrow(/has validators but no route for listUsers/);
  });

  it('validates with the validators it was given', async () => {
    const rejectAll = Object.assign(() => false, {
      errors: [{ instancePath: '/probe', keyword: 'type', message: 'must be integer', params: {} }],
    });
    let called = false;
    const handler = createRestHandler(
      'health',
      {
        getHealth: async () => {
          called = true;
          return { status: 200, body: { status: 'ok', version: '0.0.0', time: '2026-01-01T00:00:00Z' } };
        },
      },
      { routes: healthRoutes, validators: { getHealth: { query: rejectAll } } },
    );
    const response = await handler(gateway.buildEvent(routeOf('getHealth'), {}));
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ pointer: '/query/probe', message: 'must be integer' }],
    });
    expect(called).toBe(false);
  });
});

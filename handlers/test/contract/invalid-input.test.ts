/**
 * Contract-derived invalid input for every operation: wrong parameter values, mutated example bodies, arbitrary
 * JSON and malformed bodies. Whatever arrives, the handler never returns a 5xx, and every 4xx is problem+json with
 * a `code`. The caller has every right, so inputs reach validation and the implementation.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rights as allRights, routes } from '../../../generated/operations/index.js';
import { toAuthorizerContext } from '../../src/auth/authorizer-context.js';
import { parameterExample, parametersOf, requestExample } from '../setup/contract-samples.js';
import { TestGateway } from '../setup/gateway.js';
import { demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const runsPerOperation = Number(process.env.KATAPP_FUZZ_RUNS ?? 12);

/** Strings that break common parsers: empty, encodings, traversal, huge numbers, JSON fragments. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '%',
    '%2F',
    '../..',
    'null',
    'undefined',
    '-1',
    '0',
    '1e309',
    '99999999999999999999',
    '{"a":1}',
    '[]',
    '\u0000',
  ),
  fc.integer().map(String),
  fc.uuid(),
);

/** Mutations of a valid example body: drop a property, replace a value, add an unknown property, change the root. */
function bodyMutations(example: unknown): fc.Arbitrary<unknown> {
  const arbitrary: fc.Arbitrary<unknown>[] = [
    fc.jsonValue(),
    fc.constant(null),
    fc.array(fc.jsonValue(), { maxLength: 3 }),
  ];
  if (example !== null && typeof example === 'object' && !Array.isArray(example)) {
    const keys = Object.keys(example);
    if (keys.length > 0) {
      arbitrary.push(
        fc.constantFrom(...keys).map((key) => {
          const copy: Record<string, unknown> = { ...(example as Record<string, unknown>) };
          delete copy[key];
          return copy;
        }),
        fc
          .tuple(fc.constantFrom(...keys), fc.jsonValue())
          .map(([key, value]) => ({ ...(example as object), [key]: value })),
      );
    }
    arbitrary.push(fc.jsonValue().map((value) => ({ ...(example as object), unexpectedProperty: value })));
  }
  return fc.oneof(...arbitrary);
}

const malformedBody = fc.constantFrom('{', '{"a":', 'not json', '\u0000', '[1,2', '"unterminated');

describe('invalid input never causes a 5xx', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let authorizerContext: ReturnType<typeof toAuthorizerContext>;

  beforeAll(async () => {
    platform = await startTestPlatform();
    authorizerContext = toAuthorizerContext(demoOf(platform.seed).tenantId, {
      kind: 'user',
      id: demoOf(platform.seed).admin.userId,
      userId: demoOf(platform.seed).admin.userId,
      roles: ['TenantAdmin'],
      rights: new Set(allRights),
    });
  });

  afterAll(async () => {
    await platform.stop();
  });

  it.each(routes.map((route) => [route.operationId, route] as const))('%s', async (operationId, route) => {
    const parameters = parametersOf(operationId).filter(
      (parameter) => parameter.in === 'path' || parameter.in === 'query',
    );
    const parameterValues = fc.record(
      Object.fromEntries(
        parameters.map((parameter) => [
          `${parameter.in}:${parameter.name}`,
          fc.oneof(
            fc.constant(parameterExample(operationId, parameter.name)),
            hostileString,
            fc.constant(undefined),
          ),
        ]),
      ),
    );
    const example = requestExample(operationId);
    const body =
      route.requestBody === null
        ? fc.constant({ kind: 'none' as const })
        : fc.oneof(
            bodyMutations(example).map((value) => ({ kind: 'json' as const, value })),
            malformedBody.map((raw) => ({ kind: 'raw' as const, raw })),
            fc.constant({ kind: 'none' as const }),
          );
    const contentType = fc.oneof(
      fc.constant(route.requestBody?.contentType ?? 'application/json'),
      fc.constantFrom('text/plain', 'application/xml', 'application/json; charset=utf-8'),
    );

    await fc.assert(
      fc.asyncProperty(parameterValues, body, contentType, async (values, input, type) => {
        const path: Record<string, string> = {};
        const query: Record<string, string> = {};
        for (const [key, value] of Object.entries(values)) {
          const [location, name] = key.split(':') as [string, string];
          if (value === undefined) continue;
          if (location === 'path') path[name] = value;
          else query[name] = value;
        }
        const event = gateway.buildEvent(route, {
          path,
          query,
          headers: { 'Content-Type': type },
          ...(input.kind === 'json' ? { rawBody: JSON.stringify(input.value) } : {}),
          ...(input.kind === 'raw' ? { rawBody: input.raw } : {}),
        });
        event.requestContext.authorizer = { ...authorizerContext };
        const handler = await gateway.handlerFor(route.function);
        const response = await handler(event);
        expect(response.statusCode, `${operationId}: ${response.body}`).toBeLessThan(500);
        if (response.statusCode >= 400) {
          const problem = JSON.parse(response.body) as { code?: unknown; status?: unknown };
          expect(response.headers?.['Content-Type']).toBe('application/problem+json');
          expect(typeof problem.code).toBe('string');
          expect(problem.status).toBe(response.statusCode);
        }
      }),
      { numRuns: runsPerOperation, seed: 20_251_204, endOnFailure: true },
    );
  });
});

/**
 * Role × operation matrix generated from the contract: every built-in role against every operation in the
 * generated route table. A new operation or right in the contract is covered without editing this file.
 */
import type { APIGatewayProxyEvent, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Right, routes } from '../../../generated/operations/index.js';
import { toAuthorizerContext } from '../../src/auth/authorizer-context.js';
import { builtInRoles } from '../../src/auth/built-in-roles.js';
import { allowedMethodArns, parseMethodArn } from '../../src/auth/policy.js';
import { createAuthorizer } from '../../src/functions/authorizer.js';
import { examplePathParameters } from '../setup/contract-samples.js';
import { methodArnFor, policyAllows, TestGateway } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const authenticatedRoutes = routes.filter((route) => route.authenticated);

function allows(roleRights: ReadonlySet<Right>, route: (typeof routes)[number]): boolean {
  return route.rights.every((right) => roleRights.has(right));
}

describe('role × operation matrix', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  const authorizer = createAuthorizer();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform.stop();
  });

  function tenantOf(roleId: string): string {
    return roleId === 'KatAppOperator' ? platform.seed.operator.tenantId : demoOf(platform.seed).tenantId;
  }

  describe.each(builtInRoles.map((role) => [role.id, role] as const))('%s', (roleId, role) => {
    const rights: ReadonlySet<Right> = new Set(role.rights);

    it('gets a policy with exactly the allowed method ARNs', async () => {
      const token = await accessTokenFor({ tenantId: tenantOf(roleId), roles: [roleId] });
      const calledArn = methodArnFor('GET', '/health');
      const result = await authorizer({
        type: 'REQUEST',
        methodArn: calledArn,
        headers: { Authorization: `Bearer ${token}` },
      } as unknown as APIGatewayRequestAuthorizerEvent);

      const arn = parseMethodArn(calledArn);
      if (arn === undefined) throw new Error(`unparsable ${calledArn}`);
      const expected = allowedMethodArns(arn, rights);
      const statements = result.policyDocument.Statement;
      const allowed = statements
        .filter((statement) => statement.Effect === 'Allow')
        .flatMap((statement) => ('Resource' in statement ? [statement.Resource].flat() : []));
      expect(new Set(allowed)).toEqual(new Set(expected));

      for (const route of authenticatedRoutes) {
        const concrete = route.path.replace(/\{[^}]+\}/g, 'x1');
        const permitted = policyAllows(result, methodArnFor(route.method, concrete));
        expect(permitted, `${roleId} ${route.operationId}`).toBe(allows(rights, route));
      }
    });

    it('is stopped by the handler on operations outside its rights', async () => {
      const tenantId = tenantOf(roleId);
      const context = toAuthorizerContext(tenantId, {
        kind: 'user',
        id: '00000000-0000-4000-8000-000000000001',
        userId: '00000000-0000-4000-8000-000000000001',
        roles: [roleId],
        rights,
      });
      const denied = authenticatedRoutes.filter((route) => !allows(rights, route));
      for (const route of denied) {
        const event: APIGatewayProxyEvent = gateway.buildEvent(route, {
          path: examplePathParameters(route.operationId),
        });
        event.requestContext.authorizer = { ...context };
        const handler = await gateway.handlerFor(route.function);
        const response = await handler(event);
        expect(response.statusCode, `${roleId} ${route.operationId}: ${response.body}`).toBe(403);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'FORBIDDEN', status: 403 });
      }
    });

    it('passes authorizer and rights check on allowed operations', async () => {
      const token = await accessTokenFor({ tenantId: tenantOf(roleId), roles: [roleId] });
      const allowed = authenticatedRoutes.filter((route) => allows(rights, route));
      for (const route of allowed) {
        const result = await gateway.call(route.operationId, {
          token,
          path: examplePathParameters(route.operationId),
        });
        const body = result.body as { code?: string } | undefined;
        expect(result.answeredBy, `${roleId} ${route.operationId}: ${result.rawBody}`).toBe('function');
        expect(result.status, `${roleId} ${route.operationId}: ${result.rawBody}`).toBeLessThan(500);
        // A 403 from the function is fine when it has another reason (for example a device calling /users/me).
        expect(body?.code, `${roleId} ${route.operationId}: ${result.rawBody}`).not.toBe('FORBIDDEN');
      }
    });
  });

  it('rejects requests without a token at the authorizer', async () => {
    for (const route of authenticatedRoutes) {
      const result = await gateway.call(route.operationId, {
        path: examplePathParameters(route.operationId),
      });
      expect(result.status, route.operationId).toBe(401);
      expect(result.answeredBy).toBe('authorizer');
    }
  });
});

/** The Lambda REQUEST authorizer for REST and WebSocket $connect. */
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { importJWK, SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../../generated/operations/index.js';
import { accessTokenIssuer } from '../../src/auth/access-tokens.js';
import { revokedDeviceRights } from '../../src/auth/device-state.js';
import { createAuthorizer } from '../../src/functions/authorizer.js';
import {
  methodArnFor,
  policyAllows,
  TestGateway,
  testAccount,
  testApiId,
  testRegion,
} from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';
import { generateSigningJwk } from '../setup/secrets-manager.js';

const connectArn = `arn:aws:execute-api:${testRegion}:${testAccount}:${testApiId}/dev/$connect`;

function restEvent(
  token: string | undefined,
  methodArn = methodArnFor('GET', '/users'),
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

function connectEvent(token: string | undefined): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn: connectArn,
    headers: {},
    queryStringParameters: token === undefined ? null : { token },
    requestContext: { routeKey: '$connect', eventType: 'CONNECT' },
  } as unknown as APIGatewayRequestAuthorizerEvent;
}

function allowedResources(result: APIGatewayAuthorizerResult): string[] {
  return result.policyDocument.Statement.filter((statement) => statement.Effect === 'Allow').flatMap(
    (statement) =>
      'Resource' in statement && statement.Resource !== undefined ? [statement.Resource].flat() : [],
  );
}

describe('authorizer', () => {
  let platform: TestPlatform;
  const authorizer = createAuthorizer();

  beforeAll(async () => {
    platform = await startTestPlatform();
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('returns string context values and the principal id', async () => {
    const demo = demoOf(platform.seed);
    const token = await accessTokenFor({
      tenantId: demo.tenantId,
      id: demo.admin.userId,
      roles: ['TenantAdmin'],
    });
    const result = await authorizer(restEvent(token));
    expect(result.principalId).toBe(demo.admin.userId);
    expect(result.context).toMatchObject({
      tenantId: demo.tenantId,
      principalKind: 'user',
      principalId: demo.admin.userId,
    });
    for (const value of Object.values(result.context ?? {})) {
      expect(['string', 'number', 'boolean']).toContain(typeof value);
    }
  });

  it('rejects a request without a bearer token', async () => {
    await expect(authorizer(restEvent(undefined))).rejects.toThrow('Unauthorized');
    await expect(
      authorizer({ ...restEvent(undefined), headers: { Authorization: 'Basic dXNlcjpwYXNz' } } as never),
    ).rejects.toThrow('Unauthorized');
  });

  it('rejects expired, unsigned and foreign-key tokens', async () => {
    const demo = demoOf(platform.seed);
    const expired = await accessTokenFor(
      { tenantId: demo.tenantId, roles: ['TenantAdmin'] },
      new Date(Date.now() - 3_600_000),
    );
    await expect(authorizer(restEvent(expired))).rejects.toThrow('Unauthorized');

    const now = Math.floor(Date.now() / 1000);
    const claims = { tid: demo.tenantId, kind: 'user', rights: ['ActionViewUser'], roles: ['TenantAdmin'] };
    const unsigned = new UnsecuredJWT(claims)
      .setSubject(demo.admin.userId)
      .setIssuer(accessTokenIssuer())
      .setAudience('katapp-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .encode();
    await expect(authorizer(restEvent(unsigned))).rejects.toThrow('Unauthorized');

    const foreignKey = await importJWK(await generateSigningJwk(), 'ES256');
    const forged = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setSubject(demo.admin.userId)
      .setIssuer(accessTokenIssuer())
      .setAudience('katapp-api')
      .setIssuedAt(now)
      .setExpirationTime(now + 600)
      .sign(foreignKey);
    await expect(authorizer(restEvent(forged))).rejects.toThrow('Unauthorized');
  });

  it('allows $connect only with WebSocket right', async () => {
    const demo = demoOf(platform.seed);
    const dashboard = await accessTokenFor({ tenantId: demo.tenantId, roles: ['DashboardUser'] });
    const allowed = await authorizer(connectEvent(dashboard));
    expect(allowedResources(allowed)).toEqual([connectArn]);

    const device = await accessTokenFor({ tenantId: demo.tenantId, roles: ['DeviceUser'] });
    const denied = await authorizer(connectEvent(device));
    expect(policyAllows(denied, connectArn)).toBe(false);

    await expect(authorizer(connectEvent(undefined))).rejects.toThrow('Unauthorized');
  });

  it('limits a revoked device to uploading triages it captured before', async () => {
    const demo = demoOf(platform.seed);
    const admin = await accessTokenFor({ tenantId: demo.tenantId, roles: ['TenantAdmin'] });
    const gateway = new TestGateway();
    const device = await gateway.call('registerDevice', {
      token: admin,
      body: {
        imei: '353918057634810',
        name: 'Revoked Phone',
        os: 'android',
        roleId: 'DeviceUser',
        userName: null,
      },
    });
    const deviceId = (device.body as { id: string }).id;
    const deviceToken = await accessTokenFor({
      tenantId: demo.tenantId,
      kind: 'device',
      id: deviceId,
      roles: ['DeviceUser'],
    });

    const before = await authorizer(restEvent(deviceToken));
    expect(policyAllows(before, methodArnFor('GET', '/disasters'))).toBe(true);

    const revoked = await gateway.call('revokeDevice', {
      token: admin,
      path: { deviceId },
      body: { reason: 'Phone stolen.' },
    });
    expect(revoked.status).toBe(200);

    const after = await authorizer(restEvent(deviceToken));
    expect(after.context?.deviceRevokedAt).toBe((revoked.body as { revokedAt: string }).revokedAt);
    for (const route of routes.filter((candidate) => candidate.authenticated)) {
      const concrete = route.path.replace(/\{[^}]+\}/g, 'x1');
      const expected = route.rights.every((right) => revokedDeviceRights.has(right));
      expect(policyAllows(after, methodArnFor(route.method, concrete)), route.operationId).toBe(expected);
    }

    // A policy cached before the revocation still reaches the function, which applies the revocation itself.
    const cached = await gateway.call('listDisasters' as never, { token: deviceToken });
    expect(cached.answeredBy).toBe('authorizer');
    const event = gateway.buildEvent(
      routes.find((route) => route.operationId === 'listDisasters') as never,
      {},
    );
    event.requestContext.authorizer = { ...before.context, principalId: before.principalId };
    const handler = await gateway.handlerFor('disasters');
    const response = await handler(event);
    expect(response.statusCode).toBe(403);
  });
});

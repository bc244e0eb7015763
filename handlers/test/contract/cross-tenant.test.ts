/**
 * Tenant isolation: for every operation that takes an id, a caller of another tenant with every tenant right
 * gets 404 or 403 for tenant A's ids, and the response names nothing of tenant A beyond the ids it was sent.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  rights as allRights,
  type OperationId,
  type Right,
  routes,
} from '../../../generated/operations/index.js';
import { localSeed } from '../../src/admin/seed.js';
import { createTenantWithAdmin } from '../../src/admin/tenant-setup.js';
import { operatorRights } from '../../src/functions/roles.js';
import { parametersOf, requestExample } from '../setup/contract-samples.js';
import { TestGateway } from '../setup/gateway.js';
import { accessTokenFor, demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const tenantRights: Right[] = allRights.filter((right) => !operatorRights.has(right));

/** Tenant A's ids by path parameter name, and the strings that must never reach tenant B. */
interface TenantAFixtures {
  ids: Map<string, string>;
  secrets: string[];
}

const routesWithIds = routes.filter((route) =>
  parametersOf(route.operationId).some((parameter) => parameter.in === 'path'),
);

describe('cross-tenant isolation', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let fixtures: TenantAFixtures;
  let tokenOfB: string;

  /** Creates clinical records in tenant A through the clinical operations, using the contract's examples. */
  async function createClinicalFixtures(tokenOfA: string, ids: Map<string, string>): Promise<void> {
    const disaster = await gateway.call('createDisaster' as OperationId, {
      token: tokenOfA,
      body: {
        ...(requestExample('createDisaster' as OperationId) as object),
        startedAt: new Date().toISOString(),
      },
    });
    expect(disaster.status, `createDisaster: ${disaster.rawBody}`).toBe(201);
    const disasterId = (disaster.body as { id: string }).id;
    ids.set('disasterId', disasterId);

    const triageId = randomUUID();
    const cardCode = String(Date.now()).padEnd(13, '7');
    const example = requestExample('uploadTriage' as OperationId) as Record<string, unknown>;
    const triage = await gateway.call('uploadTriage' as OperationId, {
      token: tokenOfA,
      path: { triageId },
      body: { ...example, disasterId, cardCode, capturedAt: new Date().toISOString(), photos: [] },
    });
    expect(triage.status, `uploadTriage: ${triage.rawBody}`).toBe(201);
    ids.set('triageId', triageId);
    ids.set('cardCode', cardCode);
    ids.set('patientId', (triage.body as { patientId: string }).patientId);
    ids.set('photoId', 'a'.repeat(64));
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    const demo = demoOf(platform.seed);
    const tokenOfA = await accessTokenFor({ tenantId: demo.tenantId, rights: tenantRights });
    const customRole = await gateway.call('createRole', {
      token: tokenOfA,
      body: { name: 'Isolation probe role', description: null, rights: ['AccessDashboard'] },
    });
    expect(customRole.status, customRole.rawBody).toBe(201);

    const ids = new Map<string, string>([
      ['tenantId', demo.tenantId],
      ['userId', demo.dashboardUser.userId],
      ['roleId', (customRole.body as { id: string }).id],
      ['deviceId', demo.device.id],
    ]);
    await createClinicalFixtures(tokenOfA, ids);
    const demoSeed = localSeed.demo;
    fixtures = {
      ids,
      secrets: [
        demoSeed?.tenantName ?? '',
        demoSeed?.admin.email ?? '',
        demoSeed?.dashboardUser.email ?? '',
        demoSeed?.device.imei ?? '',
        'Isolation probe role',
      ].filter((secret) => secret !== ''),
    };

    const other = await createTenantWithAdmin({
      name: 'Other Hospital',
      kind: 'hospital',
      admin: { email: 'admin@other.example', displayName: 'Other Admin', password: 'other-admin-password' },
      status: 'active',
      adminRole: 'TenantAdmin',
      now: new Date(),
    });
    tokenOfB = await accessTokenFor({ tenantId: other.tenant.id, rights: tenantRights });
  });

  afterAll(async () => {
    await platform.stop();
  });

  it.each(routesWithIds.map((route) => [route.operationId, route] as const))('%s', async (operationId) => {
    const path: Record<string, string> = {};
    for (const parameter of parametersOf(operationId).filter((candidate) => candidate.in === 'path')) {
      const id = fixtures.ids.get(parameter.name);
      if (id === undefined) {
        throw new Error(`No tenant-A fixture for path parameter ${parameter.name}; add one to this test.`);
      }
      path[parameter.name] = id;
    }
    const example = requestExample(operationId);
    const body =
      example !== null && typeof example === 'object' && !Array.isArray(example) && 'disasterId' in example
        ? { ...example, disasterId: fixtures.ids.get('disasterId') }
        : example;

    const result = await gateway.call(operationId, {
      token: tokenOfB,
      path,
      ...(body === undefined ? {} : { body }),
    });
    expect([403, 404], `${operationId} answered ${result.status}: ${result.rawBody}`).toContain(
      result.status,
    );
    const sentValues = new Set([...Object.values(path), ...JSON.stringify(body ?? {}).split('"')]);
    for (const secret of fixtures.secrets.filter((value) => !sentValues.has(value))) {
      expect(result.rawBody, `${operationId} leaks ${secret}`).not.toContain(secret);
    }
  });
});

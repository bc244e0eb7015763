/** Success paths (and the documented conflicts) of the identity and admin operations, checked against the contract. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OperationId } from '../../../generated/operations/index.js';
import { localSeed } from '../../src/admin/seed.js';
import { type CallOptions, type CallResult, responseViolations, TestGateway } from '../setup/gateway.js';
import { demoOf, startTestPlatform, type TestPlatform } from '../setup/platform.js';

const demoSeed = localSeed.demo;
if (demoSeed === undefined) {
  throw new Error('localSeed has no demo tenant');
}

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

describe('identity and admin operations', () => {
  let platform: TestPlatform;
  const gateway = new TestGateway();
  let admin: Tokens;
  let operator: Tokens;

  /** Calls an operation and fails the test when the response breaks the contract. */
  async function call(operationId: OperationId, options: CallOptions = {}): Promise<CallResult> {
    const result = await gateway.call(operationId, options);
    expect(
      responseViolations(operationId, result),
      `${operationId} → ${result.status} ${result.rawBody}`,
    ).toEqual([]);
    return result;
  }

  async function login(email: string, password: string): Promise<Tokens> {
    const result = await call('login', { body: { email, password } });
    expect(result.status, result.rawBody).toBe(200);
    return result.body as Tokens;
  }

  beforeAll(async () => {
    platform = await startTestPlatform();
    admin = await login(demoSeed.admin.email, demoSeed.admin.password);
    operator = await login(localSeed.operator.email, localSeed.operator.password);
  });

  afterAll(async () => {
    await platform.stop();
  });

  it('getHealth answers ok', async () => {
    const result = await call('getHealth');
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({ status: 'ok' });
  });

  it('listTenants shows active tenants but not the operator', async () => {
    const result = await call('listTenants');
    const names = (result.body as { items: { name: string }[] }).items.map((tenant) => tenant.name);
    expect(names).toContain(demoSeed.tenantName);
    expect(names).not.toContain(localSeed.operatorTenantName);
  });

  it('registerTenant, listAllTenants and activateTenant onboard a tenant', async () => {
    const registration = {
      name: 'Klinikum Test',
      kind: 'hospital',
      admin: {
        email: 'it@klinikum-test.example',
        displayName: 'Paul Richter',
        password: 'correct-horse-battery-staple',
      },
    };
    const registered = await call('registerTenant', { body: registration });
    expect(registered.status).toBe(201);
    const { tenant } = registered.body as { tenant: { id: string; status: string } };
    expect(tenant.status).toBe('pending');

    const pendingLogin = await call('login', {
      body: { email: registration.admin.email, password: registration.admin.password },
    });
    expect(pendingLogin.status).toBe(403);
    expect(pendingLogin.body).toMatchObject({ code: 'ACCOUNT_PENDING' });

    const duplicate = await call('registerTenant', {
      body: { ...registration, admin: { ...registration.admin, email: 'other@klinikum-test.example' } },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'NAME_TAKEN' });

    const pending = await call('listAllTenants', {
      token: operator.accessToken,
      query: { status: 'pending' },
    });
    expect(pending.status).toBe(200);
    expect((pending.body as { items: { id: string }[] }).items.map((item) => item.id)).toContain(tenant.id);

    const activated = await call('activateTenant', {
      token: operator.accessToken,
      path: { tenantId: tenant.id },
    });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active' });
    const again = await call('activateTenant', {
      token: operator.accessToken,
      path: { tenantId: tenant.id },
    });
    expect(again.status).toBe(409);

    const firstLogin = await call('login', {
      body: { email: registration.admin.email, password: registration.admin.password },
    });
    expect(firstLogin.status).toBe(200);
    expect(firstLogin.body).toMatchObject({ principal: { roles: ['TenantAdmin'] } });
  });

  it('registerUser, listUsers, activateUser and role changes', async () => {
    const demo = demoOf(platform.seed);
    const account = {
      email: 'lea.wagner@demo.katapp.example',
      displayName: 'Dr. Lea Wagner',
      password: 'another-long-password',
    };
    const registered = await call('registerUser', { body: { tenantId: demo.tenantId, ...account } });
    expect(registered.status).toBe(201);
    const user = registered.body as { id: string; status: string; roles: string[] };
    expect(user.status).toBe('pending');
    expect(user.roles).toEqual([]);

    const taken = await call('registerUser', { body: { tenantId: demo.tenantId, ...account } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'EMAIL_TAKEN' });

    const pending = await call('listUsers', { token: admin.accessToken, query: { status: 'pending' } });
    expect((pending.body as { items: { id: string }[] }).items.map((item) => item.id)).toEqual([user.id]);

    const activated = await call('activateUser', { token: admin.accessToken, path: { userId: user.id } });
    expect(activated.status).toBe(200);
    expect(activated.body).toMatchObject({ status: 'active' });
    const again = await call('activateUser', { token: admin.accessToken, path: { userId: user.id } });
    expect(again.status).toBe(409);

    const assigned = await call('assignRole', {
      token: admin.accessToken,
      path: { userId: user.id, roleId: 'Physician' },
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ roles: ['Physician'] });
    const assignedTwice = await call('assignRole', {
      token: admin.accessToken,
      path: { userId: user.id, roleId: 'Physician' },
    });
    expect(assignedTwice.body).toMatchObject({ roles: ['Physician'] });

    const tokens = await login(account.email, account.password);
    const me = await call('getCurrentUser', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: user.id, tenant: { id: demo.tenantId } });
    expect((me.body as { rights: string[] }).rights).toContain('ActionConfirmTriage');

    const removed = await call('removeRole', {
      token: admin.accessToken,
      path: { userId: user.id, roleId: 'Physician' },
    });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ roles: [] });

    const all = await call('listUsers', { token: admin.accessToken });
    const emails = (all.body as { items: { email: string }[] }).items.map((item) => item.email);
    expect(emails).toEqual([...emails].sort());

    const deleted = await call('deleteUser', { token: admin.accessToken, path: { userId: user.id } });
    expect(deleted.status).toBe(204);
    expect(deleted.rawBody).toBe('');
    const gone = await call('deleteUser', { token: admin.accessToken, path: { userId: user.id } });
    expect(gone.status).toBe(404);
  });

  it('keeps the last TenantAdmin and forbids self-deletion', async () => {
    const demo = demoOf(platform.seed);
    const lastAdmin = await call('removeRole', {
      token: admin.accessToken,
      path: { userId: demo.admin.userId, roleId: 'TenantAdmin' },
    });
    expect(lastAdmin.status).toBe(409);
    const self = await call('deleteUser', { token: admin.accessToken, path: { userId: demo.admin.userId } });
    expect(self.status).toBe(409);
    expect(self.body).toMatchObject({ code: 'CONFLICT' });
  });

  it('listRoles lists built-in roles first and createRole adds custom ones', async () => {
    const created = await call('createRole', {
      token: admin.accessToken,
      body: {
        name: 'Transport lead',
        description: 'Moves patients to transport.',
        rights: ['AccessDashboard', 'ActionViewPatient'],
      },
    });
    expect(created.status).toBe(201);
    expect((created.body as { id: string }).id).toMatch(/^custom-/);

    const duplicate = await call('createRole', {
      token: admin.accessToken,
      body: { name: 'transport LEAD', description: null, rights: ['AccessDashboard'] },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'NAME_TAKEN' });

    const operatorRight = await call('createRole', {
      token: admin.accessToken,
      body: { name: 'Sneaky', description: null, rights: ['ActionActivateTenant'] },
    });
    expect(operatorRight.status).toBe(403);

    const listed = await call('listRoles', { token: admin.accessToken });
    const ids = (listed.body as { items: { id: string; builtIn: boolean }[] }).items;
    expect(ids.map((role) => role.id).slice(0, 5)).toEqual([
      'CommandStaff',
      'DashboardUser',
      'DeviceUser',
      'Physician',
      'TenantAdmin',
    ]);
    expect(ids.at(-1)?.builtIn).toBe(false);
    expect(ids.map((role) => role.id)).not.toContain('KatAppOperator');
  });

  it('registers a device, exchanges its token, refreshes and revokes it', async () => {
    const device = {
      imei: '490154203237518',
      name: 'RTW 1-83-2 Phone',
      os: 'ios',
      roleId: 'DeviceUser',
      userName: null,
    };
    const registered = await call('registerDevice', { token: admin.accessToken, body: device });
    expect(registered.status).toBe(201);
    const deviceId = (registered.body as { id: string }).id;
    const duplicate = await call('registerDevice', { token: admin.accessToken, body: device });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'IMEI_TAKEN' });

    const grant = await call('createDeviceToken', { token: admin.accessToken, path: { deviceId } });
    expect(grant.status).toBe(201);
    const { deviceToken } = grant.body as { deviceToken: string };

    const wrongImei = await call('exchangeDeviceToken', { body: { deviceToken, imei: '356938035643809' } });
    expect(wrongImei.status).toBe(401);
    const exchanged = await call('exchangeDeviceToken', { body: { deviceToken, imei: device.imei } });
    expect(exchanged.status).toBe(200);
    const deviceTokens = exchanged.body as Tokens & { principal: { kind: string; rights: string[] } };
    expect(deviceTokens.principal.kind).toBe('device');
    expect(deviceTokens.principal.rights).toContain('ActionCreateTriage');

    const refreshed = await call('refreshTokens', { body: { refreshToken: deviceTokens.refreshToken } });
    expect(refreshed.status).toBe(200);

    const listed = await call('listDevices', { token: admin.accessToken, query: { status: 'active' } });
    const seen = (listed.body as { items: { id: string; lastSeenAt: string | null }[] }).items.find(
      (item) => item.id === deviceId,
    );
    expect(seen?.lastSeenAt).not.toBeNull();

    const meAsDevice = await call('getCurrentUser', { token: deviceTokens.accessToken });
    expect(meAsDevice.status).toBe(403);

    const revoked = await call('revokeDevice', {
      token: admin.accessToken,
      path: { deviceId },
      body: { reason: 'Phone lost during the drill.' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      status: 'revoked',
      revocationReason: 'Phone lost during the drill.',
    });
    const revokedAgain = await call('revokeDevice', {
      token: admin.accessToken,
      path: { deviceId },
      body: { reason: 'Twice.' },
    });
    expect(revokedAgain.status).toBe(409);

    const afterRevocation = await call('exchangeDeviceToken', { body: { deviceToken, imei: device.imei } });
    expect(afterRevocation.status).toBe(401);
    const refreshAfterRevocation = await call('refreshTokens', {
      body: { refreshToken: (refreshed.body as Tokens).refreshToken },
    });
    expect(refreshAfterRevocation.status).toBe(401);
    const tokenForRevoked = await call('createDeviceToken', { token: admin.accessToken, path: { deviceId } });
    expect(tokenForRevoked.status).toBe(409);
  });

  it('login, refreshTokens and logout manage a session', async () => {
    const tokens = await login(demoSeed.dashboardUser.email, demoSeed.dashboardUser.password);
    const refreshed = await call('refreshTokens', { body: { refreshToken: tokens.refreshToken } });
    expect(refreshed.status).toBe(200);
    const next = refreshed.body as Tokens;
    const loggedOut = await call('logout', { token: next.accessToken });
    expect(loggedOut.status).toBe(204);
    const afterLogout = await call('refreshTokens', { body: { refreshToken: next.refreshToken } });
    expect(afterLogout.status).toBe(401);
    expect(afterLogout.body).toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  it('getCurrentTenant and updateTenantSettings read and patch the own tenant', async () => {
    const current = await call('getCurrentTenant', { token: admin.accessToken });
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      name: demoSeed.tenantName,
      settings: { retention: { drillDataDays: 30 } },
    });

    const patched = await call('updateTenantSettings', {
      token: admin.accessToken,
      body: { settings: { retention: { drillDataDays: 14 } } },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      settings: { retention: { drillDataDays: 14, patientDataDays: 3650 } },
    });

    const nameTaken = await call('updateTenantSettings', {
      token: admin.accessToken,
      body: { name: localSeed.operatorTenantName },
    });
    expect(nameTaken.status).toBe(409);
    expect(nameTaken.body).toMatchObject({ code: 'NAME_TAKEN' });

    const wrongMediaType = await call('updateTenantSettings', {
      token: admin.accessToken,
      headers: { 'Content-Type': 'application/json' },
      body: { name: 'Plain JSON' },
    });
    expect(wrongMediaType.status).toBe(415);
  });

  it('listAuditEvents shows who changed what and audits the read', async () => {
    const demo = demoOf(platform.seed);
    const all = await call('listAuditEvents', { token: admin.accessToken });
    expect(all.status).toBe(200);
    const events = (all.body as { items: { action: string; entityType: string; actor: { id: string } }[] })
      .items;
    expect(events.some((event) => event.action === 'update' && event.entityType === 'tenant')).toBe(true);

    const byActor = await call('listAuditEvents', {
      token: admin.accessToken,
      query: { actorId: demo.admin.userId },
    });
    const actors = (byActor.body as { items: { actor: { id: string } }[] }).items.map(
      (event) => event.actor.id,
    );
    expect(actors.length).toBeGreaterThan(0);
    expect(new Set(actors)).toEqual(new Set([demo.admin.userId]));

    const byEntity = await call('listAuditEvents', {
      token: admin.accessToken,
      query: { entityType: 'tenant', entityId: demo.tenantId },
    });
    const reads = (byEntity.body as { items: { action: string }[] }).items.filter(
      (event) => event.action === 'list',
    );
    expect(reads.length).toBeGreaterThanOrEqual(2);

    const idWithoutType = await call('listAuditEvents', {
      token: admin.accessToken,
      query: { entityId: demo.tenantId },
    });
    expect(idWithoutType.status).toBe(400);
  });
});

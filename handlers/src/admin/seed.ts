/**
 * Platform bootstrap: the operator tenant with its first operator account and, optionally, an active demo
 * tenant with an admin, a dashboard user and a registered device with a device token. Idempotent: records
 * that exist (found by e-mail address or tenant name) are kept, so the local platform calls it on every start.
 *
 * The demo accounts are for local runs and tests only; never seed them into a deployed stage.
 */
import { randomUUID } from 'node:crypto';
import {
  createDeviceItems,
  type DeviceRecord,
  getDevice,
  listDevices,
  setDeviceTokenItem,
} from '../data/devices.js';
import { getTenant } from '../data/tenants.js';
import { deviceTokenDelete, deviceTokenPut, newOpaqueToken, sha256Hex } from '../data/tokens.js';
import { createUserItems, findUserByEmail, transact, type UserRecord } from '../data/users.js';
import { createTenantWithAdmin, type NewAccount, newUserRecord } from './tenant-setup.js';

export interface DemoSeed {
  tenantName: string;
  admin: NewAccount;
  dashboardUser: NewAccount;
  device: {
    imei: string;
    name: string;
    os: 'android' | 'ios';
    /** A fixed device token (`kdt_` + 43 base64url characters), so repeated seeds print the same one. */
    token?: string;
  };
}

export interface SeedOptions {
  operatorTenantName: string;
  operator: NewAccount;
  demo?: DemoSeed;
  now?: Date;
}

export interface SeededAccount {
  tenantId: string;
  userId: string;
  email: string;
}

export interface SeedResult {
  operator: SeededAccount;
  demo?: {
    tenantId: string;
    admin: SeededAccount;
    dashboardUser: SeededAccount;
    device: { id: string; imei: string; deviceToken: string };
  };
}

/** Accounts for local runs and tests; the passwords are public, so these never belong in a deployed stage. */
export const localSeed: SeedOptions = {
  operatorTenantName: 'KatApp Operator',
  operator: {
    email: 'operator@katapp.example',
    displayName: 'KatApp Operator',
    password: 'operator-local-password',
  },
  demo: {
    tenantName: 'Demo Klinikum',
    admin: {
      email: 'admin@demo.katapp.example',
      displayName: 'Demo Admin',
      password: 'admin-local-password',
    },
    dashboardUser: {
      email: 'dashboard@demo.katapp.example',
      displayName: 'Demo Dashboard',
      password: 'dashboard-local-password',
    },
    device: {
      imei: '356938035643809',
      name: 'Demo Phone',
      os: 'android',
      token: 'kdt_ZGVtby1kZXZpY2UtdG9rZW4tZm9yLWxvY2FsLXJ1bnM',
    },
  },
};

function account(user: UserRecord): SeededAccount {
  return { tenantId: user.tenantId, userId: user.id, email: user.email };
}

async function ensureTenantAdmin(
  name: string,
  kind: 'operator' | 'hospital',
  admin: NewAccount,
  adminRole: 'TenantAdmin' | 'KatAppOperator',
  now: Date,
): Promise<UserRecord> {
  const existing = await findUserByEmail(admin.email);
  if (existing !== undefined) {
    return existing;
  }
  const created = await createTenantWithAdmin({ name, kind, admin, status: 'active', adminRole, now });
  return created.admin;
}

async function ensureUser(
  tenantId: string,
  user: NewAccount,
  roles: string[],
  now: Date,
): Promise<UserRecord> {
  const existing = await findUserByEmail(user.email);
  if (existing !== undefined) {
    return existing;
  }
  const record = await newUserRecord(tenantId, user, 'active', roles, now);
  await transact(createUserItems(record));
  return record;
}

async function ensureDevice(
  tenantId: string,
  seed: DemoSeed['device'],
  now: Date,
): Promise<{ device: DeviceRecord; token: string }> {
  const page = await listDevices(tenantId, 500, undefined);
  let device = page.items.find((candidate) => candidate.imei === seed.imei && candidate.status === 'active');
  if (device === undefined) {
    device = {
      id: randomUUID(),
      tenantId,
      imei: seed.imei,
      name: seed.name,
      os: seed.os,
      roleId: 'DeviceUser',
      userName: null,
      status: 'active',
      createdAt: now.toISOString(),
      revokedAt: null,
      revocationReason: null,
      tokenHash: null,
      tokenIssuedAt: null,
      tokenExpiresAt: null,
      lastSeenAt: null,
    };
    await transact(createDeviceItems(device));
  }
  const token = seed.token ?? newOpaqueToken('kdt_');
  const hash = sha256Hex(token);
  if (device.tokenHash !== hash) {
    const createdAt = now.toISOString();
    await transact([
      // The demo token does not expire, so the printed credentials keep working between runs.
      setDeviceTokenItem(device, hash, createdAt, '9999-12-31T23:59:59.999Z'),
      deviceTokenPut(hash, { tenantId, deviceId: device.id }, createdAt),
      ...(device.tokenHash === null ? [] : [deviceTokenDelete(device.tokenHash)]),
    ]);
  }
  return { device: (await getDevice(tenantId, device.id)) ?? device, token };
}

/** Seeds the operator and, when asked, the demo tenant. Reads DATA_TABLE like the handlers do. */
export async function seedPlatform(options: SeedOptions): Promise<SeedResult> {
  const now = options.now ?? new Date();
  const operator = await ensureTenantAdmin(
    options.operatorTenantName,
    'operator',
    options.operator,
    'KatAppOperator',
    now,
  );
  const result: SeedResult = { operator: account(operator) };
  if (options.demo === undefined) {
    return result;
  }

  const demo = options.demo;
  const admin = await ensureTenantAdmin(demo.tenantName, 'hospital', demo.admin, 'TenantAdmin', now);
  const tenant = await getTenant(admin.tenantId);
  if (tenant === undefined) {
    throw new Error(`Demo tenant ${admin.tenantId} of ${demo.admin.email} is missing; reset the local data.`);
  }
  const dashboardUser = await ensureUser(tenant.id, demo.dashboardUser, ['DashboardUser'], now);
  const { device, token } = await ensureDevice(tenant.id, demo.device, now);
  result.demo = {
    tenantId: tenant.id,
    admin: account(admin),
    dashboardUser: account(dashboardUser),
    device: { id: device.id, imei: device.imei, deviceToken: token },
  };
  return result;
}

/**
 * Creates a tenant with its built-in roles and first admin in one transaction; used by registerTenant and by
 * the platform seed. Built-in roles are copied into each tenant so role listing and rights lookup are plain
 * reads of the tenant's own items; KatAppOperator exists only in the operator tenant.
 */
import { randomUUID } from 'node:crypto';
import { builtInRoles } from '../auth/built-in-roles.js';
import { hashPassword } from '../auth/passwords.js';
import { createRoleItems, type RoleRecord } from '../data/roles.js';
import { transactionCancellationCodes } from '../data/table.js';
import {
  createTenantItems,
  defaultRetention,
  type TenantKind,
  type TenantRecord,
  type TransactItem,
} from '../data/tenants.js';
import { createUserItems, transact, type UserRecord } from '../data/users.js';
import { ResourceNameTakenError, UserEmailTakenError } from '../errors.js';

export interface NewAccount {
  email: string;
  displayName: string;
  password: string;
}

export interface TenantSetup {
  name: string;
  kind: TenantKind;
  admin: NewAccount;
  /** `pending` for self-registration (an operator activates it), `active` for the seed. */
  status: 'pending' | 'active';
  /** Role of the first admin: TenantAdmin, or KatAppOperator for the operator tenant. */
  adminRole: 'TenantAdmin' | 'KatAppOperator';
  now: Date;
  /** Extra items committed in the same transaction, e.g. an audit event. */
  extraItems?: (tenant: TenantRecord, admin: UserRecord) => Promise<TransactItem[]>;
}

export interface CreatedTenant {
  tenant: TenantRecord;
  admin: UserRecord;
}

/** Returns the built-in roles a tenant of this kind gets. */
export function builtInRolesFor(kind: TenantKind, createdAt: string): RoleRecord[] {
  return builtInRoles
    .filter((role) => role.id !== 'KatAppOperator' || kind === 'operator')
    .map((role) => ({
      id: role.id,
      name: role.id,
      description: role.description,
      rights: [...role.rights],
      builtIn: true,
      createdAt,
    }));
}

/** Builds a new user record with a hashed password. */
export async function newUserRecord(
  tenantId: string,
  account: NewAccount,
  status: 'pending' | 'active',
  roles: string[],
  now: Date,
): Promise<UserRecord> {
  const createdAt = now.toISOString();
  return {
    id: randomUUID(),
    tenantId,
    email: account.email,
    displayName: account.displayName,
    passwordHash: await hashPassword(account.password),
    status,
    roles,
    createdAt,
    activatedAt: status === 'active' ? createdAt : null,
    lastLoginAt: null,
    failedLoginCount: 0,
    failedLoginWindowStart: 0,
    lockedUntil: 0,
    loginAttemptCount: 0,
    loginAttemptWindowStart: 0,
  };
}

/** Creates the tenant, its roles and its first admin; throws NAME_TAKEN or EMAIL_TAKEN on a clash. */
export async function createTenantWithAdmin(setup: TenantSetup): Promise<CreatedTenant> {
  const createdAt = setup.now.toISOString();
  const tenantId = randomUUID();
  const admin = await newUserRecord(tenantId, setup.admin, setup.status, [setup.adminRole], setup.now);
  const tenant: TenantRecord = {
    id: tenantId,
    name: setup.name,
    kind: setup.kind,
    status: setup.status,
    settings: { retention: { ...defaultRetention } },
    createdAt,
    activatedAt: setup.status === 'active' ? createdAt : null,
    firstAdminUserId: admin.id,
  };
  const tenantItems = createTenantItems(tenant);
  const userItems = createUserItems(admin);
  const roleItems = builtInRolesFor(setup.kind, createdAt).flatMap((role) => createRoleItems(tenantId, role));
  const extra = setup.extraItems === undefined ? [] : await setup.extraItems(tenant, admin);
  try {
    await transact([...tenantItems, ...userItems, ...roleItems, ...extra]);
  } catch (error) {
    const codes = transactionCancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new ResourceNameTakenError(
        `A tenant named ${JSON.stringify(setup.name)} exists; choose another name.`,
        {
          cause: error,
        },
      );
    }
    if (codes?.[tenantItems.length + 1] === 'ConditionalCheckFailed') {
      throw new UserEmailTakenError(
        'A user with this e-mail address exists; use another address for the admin.',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return { tenant, admin };
}

/**
 * Lambda function `tenants`: the public tenant list and registration, the operator's tenant list and
 * activation, and the caller's own tenant settings.
 */

import { routes } from '../../../generated/operations/functions/tenants.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/tenants.js';
import { tenantSummaryView, tenantView, userView } from '../admin/representations.js';
import { createTenantWithAdmin } from '../admin/tenant-setup.js';
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { transactionCancellationCodes } from '../data/table.js';
import {
  activateTenantItem,
  getTenant,
  listAllTenants as listAllTenantRecords,
  listTenantsByStatus,
  saveTenantChanges,
  type TenantRecord,
} from '../data/tenants.js';
import { activateUserItem, getUser, transact } from '../data/users.js';
import {
  AuthForbiddenError,
  ResourceConflictError,
  ResourceNameTakenError,
  ResourceNotFoundError,
} from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type TenantOperations = Pick<
  OperationHandlers<RequestContext>,
  | 'listTenants'
  | 'registerTenant'
  | 'listAllTenants'
  | 'activateTenant'
  | 'getCurrentTenant'
  | 'updateTenantSettings'
>;

const defaultPageSize = 100;

const listTenants: TenantOperations['listTenants'] = async (request) => {
  const page = await listTenantsByStatus(
    'active',
    request.query.limit ?? defaultPageSize,
    request.query.cursor,
  );
  return { status: 200, body: { items: page.items.map(tenantSummaryView), nextCursor: page.nextCursor } };
};

const registerTenant: TenantOperations['registerTenant'] = async (request, context) => {
  const now = context.clock.now();
  const { tenant, admin } = await createTenantWithAdmin({
    name: request.body.name,
    kind: request.body.kind,
    admin: request.body.admin,
    status: 'pending',
    adminRole: 'TenantAdmin',
    now,
    extraItems: async (created, firstAdmin) => [
      await auditPut(
        context,
        { action: 'create', entityType: 'tenant', entityId: created.id },
        { tenantId: created.id, kind: 'user', id: firstAdmin.id, displayName: firstAdmin.displayName },
      ),
    ],
  });
  return { status: 201, body: { tenant: tenantView(tenant), admin: userView(admin, now) } };
};

/**
 * Throws FORBIDDEN unless the caller belongs to the operator tenant. Only operator roles hold the operator
 * rights, so this is a second line behind the rights check, against a role granted by mistake.
 */
async function requireOperatorTenant(context: RequestContext): Promise<void> {
  const { tenantId } = caller(context);
  const own = await getTenant(tenantId);
  if (own?.kind !== 'operator') {
    throw new AuthForbiddenError('Only members of the KatApp operator tenant manage other tenants.');
  }
}

const listAllTenants: TenantOperations['listAllTenants'] = async (request, context) => {
  await requireOperatorTenant(context);
  const query = request.query;
  const page = await listAllTenantRecords(query.limit ?? defaultPageSize, query.cursor, query.status);
  return { status: 200, body: { items: page.items.map(tenantView), nextCursor: page.nextCursor } };
};

const activateTenant: TenantOperations['activateTenant'] = async (request, context) => {
  await requireOperatorTenant(context);
  const { principal } = caller(context);
  const now = context.clock.now();
  const tenant = await getTenant(request.path.tenantId);
  if (tenant === undefined) {
    throw new ResourceNotFoundError(`No tenant ${request.path.tenantId} exists.`);
  }
  if (tenant.status === 'active') {
    throw new ResourceConflictError(`Tenant ${tenant.id} is already active.`);
  }

  const activatedAt = now.toISOString();
  const items = [activateTenantItem(tenant, activatedAt)];
  const firstAdmin =
    tenant.firstAdminUserId === null ? undefined : await getUser(tenant.id, tenant.firstAdminUserId);
  if (firstAdmin?.status === 'pending') {
    items.push(activateUserItem(tenant.id, firstAdmin.id, activatedAt));
  }

  // The event goes to the activated tenant's own log, so its admins see which operator activated it.
  items.push(
    await auditPut(
      context,
      {
        action: 'activate',
        entityType: 'tenant',
        entityId: tenant.id,
        details: { changedFields: ['status'] },
      },
      {
        tenantId: tenant.id,
        kind: principal.kind,
        id: principal.id,
        displayName: principal.displayName ?? null,
      },
    ),
  );

  try {
    await transact(items);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ResourceConflictError(`Tenant ${tenant.id} was activated by another request.`, {
        cause: error,
      });
    }
    throw error;
  }
  return { status: 200, body: tenantView({ ...tenant, status: 'active', activatedAt }) };
};

async function callerTenant(context: RequestContext): Promise<TenantRecord> {
  const { tenantId } = caller(context);
  const tenant = await getTenant(tenantId);
  if (tenant === undefined) {
    throw new ResourceNotFoundError(`The tenant ${tenantId} of the access token does not exist.`);
  }
  return tenant;
}

const getCurrentTenant: TenantOperations['getCurrentTenant'] = async (_request, context) => {
  return { status: 200, body: tenantView(await callerTenant(context)) };
};

const updateTenantSettings: TenantOperations['updateTenantSettings'] = async (request, context) => {
  const before = await callerTenant(context);
  const patch = request.body;
  const retentionPatch = patch.settings?.retention ?? {};
  const after: TenantRecord = {
    ...before,
    name: patch.name ?? before.name,
    settings: { retention: { ...before.settings.retention, ...retentionPatch } },
  };
  const changedFields = [
    ...(patch.name === undefined ? [] : ['name']),
    ...Object.keys(retentionPatch).map((field) => `settings.retention.${field}`),
  ];
  const audit = await auditPut(context, {
    action: 'update',
    entityType: 'tenant',
    entityId: after.id,
    details: { changedFields },
  });
  try {
    await saveTenantChanges(before, after, [audit]);
  } catch (error) {
    const codes = transactionCancellationCodes(error);
    const nameChanged = before.name.toLowerCase() !== after.name.toLowerCase();
    if (nameChanged && codes?.[1] === 'ConditionalCheckFailed') {
      throw new ResourceNameTakenError(
        `A tenant named ${JSON.stringify(after.name)} exists; choose another name.`,
        {
          cause: error,
        },
      );
    }
    if (codes?.[0] === 'ConditionalCheckFailed') {
      throw new ResourceConflictError('The tenant was changed by another request; read it again and retry.', {
        cause: error,
      });
    }
    throw error;
  }
  return { status: 200, body: tenantView(after) };
};

export const operations: TenantOperations = {
  listTenants,
  registerTenant,
  listAllTenants,
  activateTenant,
  getCurrentTenant,
  updateTenantSettings,
};

export const handler = createRestHandler('tenants', operations, { routes, validators: requestValidators });

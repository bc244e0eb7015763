/** Lambda function `tenants`: public tenant list and registration, activation by an operator, own settings. */
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { tenantSummaryView, tenantView, userView } from '../admin/representations.js';
import { createTenantWithAdmin } from '../admin/tenant-setup.js';
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { transactionCancellationCodes } from '../data/table.js';
import {
  activateTenantItem,
  getTenant,
  listTenantsByStatus,
  saveTenantChanges,
  type TenantRecord,
} from '../data/tenants.js';
import { activateUserItem, getUser, transact } from '../data/users.js';
import { ResourceConflictError, ResourceNameTakenError, ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type TenantOperations = Pick<
  OperationHandlers<RequestContext>,
  'listTenants' | 'registerTenant' | 'activateTenant' | 'getCurrentTenant' | 'updateTenantSettings'
>;

const defaultPageSize = 100;

const listTenants: TenantOperations['listTenants'] = async (request) => {
  const page = await listTenantsByStatus(
    'active',
    request.query?.limit ?? defaultPageSize,
    request.query?.cursor,
  );
  return {
    status: 200,
    body: { items: page.items.map(tenantSummaryView), nextCursor: page.nextCursor },
  };
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
        { action: 'create', entityType: 'tenant', entityId: created.id, details: { selfRegistration: true } },
        { tenantId: created.id, actorKind: 'user', actorId: firstAdmin.id },
      ),
    ],
  });
  return { status: 201, body: { tenant: tenantView(tenant), admin: userView(admin, now) } };
};

const activateTenant: TenantOperations['activateTenant'] = async (request, context) => {
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
  // The event goes to the activated tenant's log (its admins see who activated it) under the operator's id.
  items.push(
    await auditPut(
      context,
      { action: 'update', entityType: 'tenant', entityId: tenant.id, details: { status: 'active' } },
      { tenantId: tenant.id, actorKind: 'user', actorId: caller(context).principal.id },
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
  const after: TenantRecord = {
    ...before,
    name: patch.name ?? before.name,
    settings: {
      retention: { ...before.settings.retention, ...patch.settings?.retention },
    },
  };
  const changed = Object.entries({ name: patch.name, ...patch.settings?.retention })
    .filter(([, value]) => value !== undefined)
    .map(([key]) => key)
    .join(',');
  const audit = await auditPut(context, {
    action: 'update',
    entityType: 'tenant',
    entityId: after.id,
    details: { changed },
  });
  try {
    await saveTenantChanges(before, after, [audit]);
  } catch (error) {
    const codes = transactionCancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') {
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
  activateTenant,
  getCurrentTenant,
  updateTenantSettings,
};

export const handler = createRestHandler('tenants', operations);

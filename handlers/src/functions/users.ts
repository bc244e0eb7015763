/** Lambda function `users`: the tenant's users, their activation, deletion and roles. */

import { routes } from '../../../generated/operations/functions/users.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/users.js';
import { tenantSummaryView, userView } from '../admin/representations.js';
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { getRole, rightsOfRoles } from '../data/roles.js';
import { transactionCancellationCodes } from '../data/table.js';
import { getTenant } from '../data/tenants.js';
import { revokeAllRefreshFamilies } from '../data/tokens.js';
import {
  activateUserItem,
  countActiveUsersWithRole,
  deleteUserItems,
  getUser,
  listUsers as listUserRecords,
  setUserRolesItem,
  transact,
  type UserRecord,
  unlockUserItem,
} from '../data/users.js';
import { AuthForbiddenError, ResourceConflictError, ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type UserOperations = Pick<
  OperationHandlers<RequestContext>,
  'listUsers' | 'getCurrentUser' | 'activateUser' | 'deleteUser' | 'assignRole' | 'removeRole'
>;

const defaultPageSize = 100;

/** Reads a user of the caller's tenant; another tenant's id is simply not found. */
async function requireUser(tenantId: string, userId: string): Promise<UserRecord> {
  const user = await getUser(tenantId, userId);
  if (user === undefined) {
    throw new ResourceNotFoundError(`No user ${userId} exists in your tenant.`);
  }
  return user;
}

function rethrowConcurrentChange(error: unknown, userId: string): never {
  if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
    throw new ResourceConflictError(
      `User ${userId} was changed by another request; read it again and retry.`,
      {
        cause: error,
      },
    );
  }
  throw error;
}

const listUsers: UserOperations['listUsers'] = async (request, context) => {
  const { tenantId } = caller(context);
  const now = context.clock.now();
  const query = request.query;
  const page = await listUserRecords(
    tenantId,
    query.limit ?? defaultPageSize,
    query.cursor,
    query.status,
    now,
  );
  return {
    status: 200,
    body: { items: page.items.map((user) => userView(user, now)), nextCursor: page.nextCursor },
  };
};

const getCurrentUser: UserOperations['getCurrentUser'] = async (_request, context) => {
  const { tenantId, principal } = caller(context);
  if (principal.kind !== 'user') {
    throw new AuthForbiddenError('This operation is for users; the access token belongs to a device.');
  }
  const user = await requireUser(tenantId, principal.id);
  const tenant = await getTenant(tenantId);
  if (tenant === undefined) {
    throw new ResourceNotFoundError(`The tenant ${tenantId} of the access token does not exist.`);
  }
  const rights = await rightsOfRoles(tenantId, user.roles);
  return {
    status: 200,
    body: {
      ...userView(user, context.clock.now()),
      rights: [...rights].sort(),
      tenant: tenantSummaryView(tenant),
    },
  };
};

const activateUser: UserOperations['activateUser'] = async (request, context) => {
  const { tenantId } = caller(context);
  const user = await requireUser(tenantId, request.path.userId);
  const now = context.clock.now();
  const locked = user.status === 'active' && user.lockedUntil > now.getTime();
  if (user.status !== 'pending' && !locked) {
    throw new ResourceConflictError(`User ${user.id} is already active and not locked.`);
  }
  const activatedAt = user.activatedAt ?? now.toISOString();
  const change = locked
    ? unlockUserItem(tenantId, user.id)
    : activateUserItem(tenantId, user.id, activatedAt);
  try {
    await transact([
      change,
      await auditPut(context, {
        action: 'activate',
        entityType: 'user',
        entityId: user.id,
        details: { changedFields: locked ? ['lockedUntil'] : ['status'] },
      }),
    ]);
  } catch (error) {
    rethrowConcurrentChange(error, user.id);
  }
  const activated: UserRecord = {
    ...user,
    status: 'active',
    activatedAt,
    lockedUntil: 0,
    failedLoginCount: 0,
  };
  return { status: 200, body: userView(activated, now) };
};

const deleteUser: UserOperations['deleteUser'] = async (request, context) => {
  const { tenantId, principal } = caller(context);
  if (principal.kind === 'user' && principal.id === request.path.userId) {
    throw new ResourceConflictError('You cannot delete your own account; ask another tenant admin.');
  }
  const user = await requireUser(tenantId, request.path.userId);
  try {
    await transact([
      ...deleteUserItems(user),
      await auditPut(context, { action: 'delete', entityType: 'user', entityId: user.id }),
    ]);
  } catch (error) {
    rethrowConcurrentChange(error, user.id);
  }
  // A deleted user's refresh fails anyway; revoking also closes the sessions in their records.
  await revokeAllRefreshFamilies({ tenantId, kind: 'user', principalId: user.id }, context.clock.now());
  return { status: 204 };
};

async function changeRoles(
  context: RequestContext,
  userId: string,
  roleId: string,
  change: 'assign' | 'remove',
): Promise<UserRecord> {
  const { tenantId } = caller(context);
  const user = await requireUser(tenantId, userId);
  const role = await getRole(tenantId, roleId);
  if (role === undefined) {
    throw new ResourceNotFoundError(
      `No role ${roleId} exists in your tenant; list the roles with GET /roles.`,
    );
  }
  const hasRole = user.roles.includes(roleId);
  if ((change === 'assign' && hasRole) || (change === 'remove' && !hasRole)) {
    return user;
  }
  // NOTE: two admins removing TenantAdmin from each other at the same moment can both pass this count.
  if (change === 'remove' && roleId === 'TenantAdmin' && user.status === 'active') {
    if ((await countActiveUsersWithRole(tenantId, 'TenantAdmin')) <= 1) {
      throw new ResourceConflictError(
        "The user is the tenant's last TenantAdmin; assign the role to someone else first.",
      );
    }
  }
  const roles = change === 'assign' ? [...user.roles, roleId] : user.roles.filter((id) => id !== roleId);
  try {
    await transact([
      setUserRolesItem(tenantId, user.id, roles, user.roles),
      await auditPut(context, {
        action: change === 'assign' ? 'assign-role' : 'remove-role',
        entityType: 'user',
        entityId: user.id,
        details: { roleId },
      }),
    ]);
  } catch (error) {
    rethrowConcurrentChange(error, user.id);
  }
  return { ...user, roles };
}

const assignRole: UserOperations['assignRole'] = async (request, context) => {
  const user = await changeRoles(context, request.path.userId, request.path.roleId, 'assign');
  return { status: 200, body: userView(user, context.clock.now()) };
};

const removeRole: UserOperations['removeRole'] = async (request, context) => {
  const user = await changeRoles(context, request.path.userId, request.path.roleId, 'remove');
  return { status: 200, body: userView(user, context.clock.now()) };
};

export const operations: UserOperations = {
  listUsers,
  getCurrentUser,
  activateUser,
  deleteUser,
  assignRole,
  removeRole,
};

export const handler = createRestHandler('users', operations, { routes, validators: requestValidators });

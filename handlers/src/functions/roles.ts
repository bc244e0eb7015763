/** Lambda function `roles`: the tenant's built-in and custom roles. */
import { randomUUID } from 'node:crypto';
import { routes } from '../../../generated/operations/functions/roles.js';
import type { OperationHandlers, Right } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/roles.js';
import { roleView } from '../admin/representations.js';
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { createRoleItems, listRoles as listRoleRecords, type RoleRecord } from '../data/roles.js';
import { transactionCancellationCodes } from '../data/table.js';
import { getTenant } from '../data/tenants.js';
import { transact } from '../data/users.js';
import { AuthForbiddenError, ResourceNameTakenError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type RoleOperations = Pick<OperationHandlers<RequestContext>, 'listRoles' | 'createRole'>;

const defaultPageSize = 100;

/** Rights that only roles of the operator tenant may hold: they act on other tenants. */
export const operatorRights: ReadonlySet<Right> = new Set<Right>([
  'AccessManagementConsole',
  'ActionViewTenant',
  'ActionActivateTenant',
]);

const listRoles: RoleOperations['listRoles'] = async (request, context) => {
  const { tenantId } = caller(context);
  const page = await listRoleRecords(
    tenantId,
    request.query?.limit ?? defaultPageSize,
    request.query?.cursor,
  );
  return { status: 200, body: { items: page.items.map(roleView), nextCursor: page.nextCursor } };
};

const createRole: RoleOperations['createRole'] = async (request, context) => {
  const { tenantId } = caller(context);
  const rights = [...new Set(request.body.rights)] as Right[];
  const reserved = rights.filter((right) => operatorRights.has(right));
  // Only the operator tenant's own roles may carry operator rights; they act on other tenants.
  if (reserved.length > 0) {
    const tenant = await getTenant(tenantId);
    if (tenant?.kind !== 'operator') {
      throw new AuthForbiddenError(
        `The rights ${reserved.join(', ')} are reserved for the KatApp operator; remove them from the role.`,
      );
    }
  }
  const role: RoleRecord = {
    id: `custom-${randomUUID()}`,
    name: request.body.name,
    description: request.body.description ?? null,
    rights,
    builtIn: false,
    createdAt: context.clock.now().toISOString(),
  };
  try {
    await transact([
      ...createRoleItems(tenantId, role),
      await auditPut(context, { action: 'create', entityType: 'role', entityId: role.id }),
    ]);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[1] === 'ConditionalCheckFailed') {
      throw new ResourceNameTakenError(
        `A role named ${JSON.stringify(role.name)} exists in your tenant; choose another name.`,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return { status: 201, body: roleView(role) };
};

export const operations: RoleOperations = { listRoles, createRole };

export const handler = createRestHandler('roles', operations, { routes, validators: requestValidators });

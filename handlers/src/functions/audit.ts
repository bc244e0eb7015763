/** Lambda function `audit`: the tenant's audit log. Reading it is itself audited. */

import { routes } from '../../../generated/operations/functions/audit.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/audit.js';
import { auditEventView } from '../admin/representations.js';
import { recordAudit } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { queryAuditEvents } from '../data/audit.js';
import { RequestValidationError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type AuditOperations = Pick<OperationHandlers<RequestContext>, 'listAuditEvents'>;

const defaultPageSize = 100;

/** Without `since`, the listing starts 24 hours before the request. */
const defaultWindowMs = 24 * 60 * 60 * 1000;

const listAuditEvents: AuditOperations['listAuditEvents'] = async (request, context) => {
  const { tenantId } = caller(context);
  const query = request.query;
  if (query.entityId !== undefined && query.entityType === undefined) {
    throw new RequestValidationError('entityId needs entityType; add entityType or drop entityId.', [
      { pointer: '/query/entityType', message: 'is required when entityId is given' },
    ]);
  }
  // Sort keys hold Date.toISOString() times, so the bounds are normalised to that form.
  const now = context.clock.now();
  const since = new Date(query.since ?? now.getTime() - defaultWindowMs).toISOString();
  const until = query.until === undefined ? undefined : new Date(query.until).toISOString();
  if (until !== undefined && since >= until) {
    throw new RequestValidationError('since must be earlier than until.', [
      { pointer: '/query/since', message: 'must be earlier than until' },
    ]);
  }
  const page = await queryAuditEvents({
    tenantId,
    since,
    until,
    actorId: query.actorId,
    entityType: query.entityType,
    entityId: query.entityId,
    limit: query.limit ?? defaultPageSize,
    cursor: query.cursor,
  });
  await recordAudit(context, {
    action: 'list',
    entityType: 'tenant',
    entityId: tenantId,
    details: { resultCount: page.items.length },
  });
  return { status: 200, body: { items: page.items.map(auditEventView), nextCursor: page.nextCursor } };
};

export const operations: AuditOperations = { listAuditEvents };

export const handler = createRestHandler('audit', operations, { routes, validators: requestValidators });

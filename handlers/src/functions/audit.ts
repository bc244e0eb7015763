/** Lambda function `audit`: the tenant's audit log. */
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { auditEventView } from '../admin/representations.js';
import { caller, type RequestContext } from '../context.js';
import { queryAuditEvents } from '../data/audit.js';
import { RequestValidationError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type AuditOperations = Pick<OperationHandlers<RequestContext>, 'listAuditEvents'>;

const defaultPageSize = 100;

/** Normalises an RFC 3339 time with any offset to the UTC form the sort keys use. */
function utc(value: string | undefined): string | undefined {
  return value === undefined ? undefined : new Date(value).toISOString();
}

const listAuditEvents: AuditOperations['listAuditEvents'] = async (request, context) => {
  const { tenantId } = caller(context);
  const query = request.query ?? {};
  const since = utc(query.since);
  const until = utc(query.until);
  if (since !== undefined && until !== undefined && since >= until) {
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
  return { status: 200, body: { items: page.items.map(auditEventView), nextCursor: page.nextCursor } };
};

export const operations: AuditOperations = { listAuditEvents };

export const handler = createRestHandler('audit', operations);

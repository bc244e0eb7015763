/**
 * Audit log: who read, created, changed or deleted which record, and when. Writes join the transaction of the
 * change they describe (`auditPut`); reads are recorded on their own (`recordAudit`). Events expire after the
 * tenant's `retention.auditLogDays`.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context.js';
import {
  type AuditAction,
  type AuditDetails,
  type AuditEntityType,
  type AuditEventRecord,
  auditPutItem,
  putAuditEvent,
} from '../data/audit.js';
import { epochSeconds } from '../data/table.js';
import { defaultRetention, getTenant, type TransactItem } from '../data/tenants.js';

export type { AuditAction, AuditDetails, AuditEntityType };

export interface AuditEntry {
  action: AuditAction;
  entityType: AuditEntityType;
  /** Id of the record: a UUID, a role id or a photo hash. */
  entityId: string;
  disasterId?: string;
  /** Changed field names, a reason, a role id or a result count; never names, passwords or clinical values. */
  details?: AuditDetails;
}

/** The actor for events the context does not describe, e.g. a login before the request had a principal. */
export interface AuditActor {
  tenantId: string;
  kind: AuditEventRecord['actorKind'];
  id: string | null;
  displayName: string | null;
}

const retentionCacheMs = 5 * 60 * 1000;
const retentionCache = new Map<string, { days: number; loadedAt: number }>();

/** Returns the tenant's audit retention in days, cached for five minutes per warm Lambda instance. */
async function auditRetentionDays(tenantId: string): Promise<number> {
  const cached = retentionCache.get(tenantId);
  const now = Date.now();
  if (cached !== undefined && now - cached.loadedAt < retentionCacheMs) {
    return cached.days;
  }
  const tenant = await getTenant(tenantId);
  const days = tenant?.settings.retention.auditLogDays ?? defaultRetention.auditLogDays;
  retentionCache.set(tenantId, { days, loadedAt: now });
  return days;
}

function contextActor(context: RequestContext): AuditActor {
  if (context.tenantId === null || context.principal === null) {
    throw new Error(`Audit event of ${context.operationId} has no principal; pass the actor explicitly.`);
  }
  return {
    tenantId: context.tenantId,
    kind: context.principal.kind,
    id: context.principal.id,
    displayName: context.principal.displayName ?? null,
  };
}

function buildEvent(context: RequestContext, entry: AuditEntry, actor: AuditActor): AuditEventRecord {
  return {
    id: randomUUID(),
    tenantId: actor.tenantId,
    occurredAt: context.clock.now().toISOString(),
    actorKind: actor.kind,
    actorId: actor.id,
    actorDisplayName: actor.displayName,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    disasterId: entry.disasterId ?? null,
    requestId: context.requestId,
    sourceIp: context.sourceIp,
    details: entry.details ?? {},
  };
}

async function expiry(event: AuditEventRecord): Promise<number> {
  const days = await auditRetentionDays(event.tenantId);
  return epochSeconds(new Date(Date.parse(event.occurredAt) + days * 24 * 60 * 60 * 1000));
}

/**
 * Returns a TransactWriteItems Put of an audit event, to commit together with the change it records. The
 * actor is the context's principal unless given.
 */
export async function auditPut(
  context: RequestContext,
  entry: AuditEntry,
  actor?: AuditActor,
): Promise<TransactItem> {
  const event = buildEvent(context, entry, actor ?? contextActor(context));
  return auditPutItem(event, await expiry(event));
}

/** Writes audit events on their own, e.g. for reads of patient data. */
export async function recordAudit(
  context: RequestContext,
  entries: AuditEntry | readonly AuditEntry[],
  actor?: AuditActor,
): Promise<void> {
  const list: readonly AuditEntry[] = Array.isArray(entries) ? entries : [entries as AuditEntry];
  const eventActor = actor ?? contextActor(context);
  await Promise.all(
    list.map(async (entry) => {
      const event = buildEvent(context, entry, eventActor);
      await putAuditEvent(event, await expiry(event));
    }),
  );
}

/**
 * Audit log: who read, created, changed or deleted which record, and when. Writes join the transaction of the
 * change they describe (`auditPut`); reads are recorded on their own (`recordAudit`). Events expire after the
 * tenant's `retention.auditLogDays`.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { type AuditEventRecord, auditPutItem, putAuditEvent } from '../data/audit.js';
import { epochSeconds } from '../data/table.js';
import { defaultRetention, getTenant, type TransactItem } from '../data/tenants.js';

export type AuditAction = 'read' | 'create' | 'update' | 'delete' | 'login' | 'logout' | 'export';

export interface AuditEntry {
  action: AuditAction;
  /** Kind of record, e.g. `patient`, `triage`, `user`, `device`. */
  entityType: string;
  entityId: string;
  disasterId?: string;
  /**
   * Small facts about the change (field names, a reason, a status). Never put patient names, passwords or
   * tokens here: the audit log is read by tenant admins who may not see identity data.
   */
  details?: Record<string, string | number | boolean | null>;
}

/** Overrides for events the caller's context does not describe, e.g. a login before a principal exists. */
export interface AuditActorOverride {
  tenantId: string;
  actorKind: AuditEventRecord['actorKind'];
  actorId: string | null;
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

function buildEvent(
  context: RequestContext,
  entry: AuditEntry,
  actor?: AuditActorOverride,
): AuditEventRecord {
  const tenantId = actor?.tenantId ?? context.tenantId;
  if (tenantId === null) {
    throw new Error(`Audit event ${entry.action} ${entry.entityType} has no tenant; pass an actor override.`);
  }
  const principal = context.principal;
  return {
    id: randomUUID(),
    tenantId,
    occurredAt: context.clock.now().toISOString(),
    actorKind: actor?.actorKind ?? principal?.kind ?? 'anonymous',
    actorId: actor === undefined ? (principal?.id ?? null) : actor.actorId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    disasterId: entry.disasterId ?? null,
    requestId: context.requestId,
    details: entry.details ?? {},
  };
}

async function expiry(event: AuditEventRecord): Promise<number> {
  const days = await auditRetentionDays(event.tenantId);
  return epochSeconds(new Date(Date.parse(event.occurredAt) + days * 24 * 60 * 60 * 1000));
}

/** Returns a TransactWriteItems Put of an audit event, to commit together with the change it records. */
export async function auditPut(
  context: RequestContext,
  entry: AuditEntry,
  actor?: AuditActorOverride,
): Promise<TransactItem> {
  const event = buildEvent(context, entry, actor);
  return auditPutItem(event, await expiry(event));
}

/** Writes audit events on their own, e.g. for reads of patient data. */
export async function recordAudit(
  context: RequestContext,
  entries: AuditEntry | readonly AuditEntry[],
  actor?: AuditActorOverride,
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries as AuditEntry];
  await Promise.all(
    list.map(async (entry) => {
      const event = buildEvent(context, entry, actor);
      await putAuditEvent(event, await expiry(event));
    }),
  );
}

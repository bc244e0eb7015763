/** Maps stored records to the response shapes of the contract; secrets and counters never leave here. */
import type { AuditEventRecord } from '../data/audit.js';
import type { DeviceRecord } from '../data/devices.js';
import type { RoleRecord } from '../data/roles.js';
import type { TenantRecord } from '../data/tenants.js';
import type { UserRecord } from '../data/users.js';

/** Returns the user as the API shows it, with status `locked` while a lockout after failed logins lasts. */
export function userView(user: UserRecord, now: Date) {
  return {
    id: user.id,
    tenantId: user.tenantId,
    email: user.email,
    displayName: user.displayName,
    status: user.status === 'active' && user.lockedUntil > now.getTime() ? ('locked' as const) : user.status,
    roles: [...user.roles],
    createdAt: user.createdAt,
    activatedAt: user.activatedAt,
    lastLoginAt: user.lastLoginAt,
  };
}

export function tenantView(tenant: TenantRecord) {
  return {
    id: tenant.id,
    name: tenant.name,
    kind: tenant.kind,
    status: tenant.status,
    settings: { retention: { ...tenant.settings.retention } },
    createdAt: tenant.createdAt,
    activatedAt: tenant.activatedAt,
  };
}

export function tenantSummaryView(tenant: TenantRecord) {
  return { id: tenant.id, name: tenant.name };
}

export function roleView(role: RoleRecord) {
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    rights: [...role.rights],
    builtIn: role.builtIn,
    createdAt: role.createdAt,
  };
}

export function deviceView(device: DeviceRecord) {
  return {
    id: device.id,
    imei: device.imei,
    name: device.name,
    os: device.os,
    roleId: device.roleId,
    userName: device.userName,
    status: device.status,
    createdAt: device.createdAt,
    revokedAt: device.revokedAt,
    revocationReason: device.revocationReason,
    tokenIssuedAt: device.tokenIssuedAt,
    lastSeenAt: device.lastSeenAt,
  };
}

export function auditEventView(event: AuditEventRecord) {
  return {
    id: event.id,
    occurredAt: event.occurredAt,
    actor: { kind: event.actorKind, id: event.actorId, displayName: event.actorDisplayName },
    action: event.action,
    entityType: event.entityType,
    entityId: event.entityId,
    disasterId: event.disasterId,
    requestId: event.requestId,
    sourceIp: event.sourceIp,
    details: { ...event.details },
  };
}

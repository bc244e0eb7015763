/**
 * The flat context the authorizer hands to API Gateway and the adapter reads back from
 * `requestContext.authorizer`. API Gateway allows only strings, numbers and booleans as values, so rights and
 * roles travel as comma-separated strings.
 */
import { rights as allRights, type Right } from '../../../generated/operations/index.js';
import type { Principal, PrincipalKind } from '../context.js';

export interface AuthorizerContext {
  tenantId: string;
  principalKind: PrincipalKind;
  principalId: string;
  displayName: string;
  userId: string;
  deviceId: string;
  rights: string;
  roles: string;
  sessionId: string;
  /** RFC 3339 time of the device's revocation, or an empty string. */
  deviceRevokedAt: string;
  /** Expiry of the access token in epoch seconds, 0 when unknown; API Gateway caches this context up to 300 s. */
  expiresAt: number;
}

const knownRights: ReadonlySet<string> = new Set(allRights);

function isRight(value: string): value is Right {
  return knownRights.has(value);
}

/** Flattens a verified principal into authorizer context values. */
export function toAuthorizerContext(
  tenantId: string,
  principal: Principal,
  expiresAt?: Date,
): AuthorizerContext {
  return {
    tenantId,
    principalKind: principal.kind,
    principalId: principal.id,
    displayName: principal.displayName ?? '',
    userId: principal.userId ?? '',
    deviceId: principal.deviceId ?? '',
    rights: [...principal.rights].sort().join(','),
    roles: principal.roles.join(','),
    sessionId: principal.sessionId ?? '',
    deviceRevokedAt: principal.deviceRevokedAt ?? '',
    expiresAt: expiresAt === undefined ? 0 : Math.floor(expiresAt.getTime() / 1000),
  };
}

function stringValue(source: Record<string, unknown>, key: string): string {
  const value = source[key];
  return typeof value === 'string' ? value : '';
}

function splitList(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

/**
 * Reads the tenant and principal from `requestContext.authorizer`. Returns null when the request passed no
 * authorizer (a public operation) or the context lacks a tenant or principal. Unknown right names are dropped.
 */
export function fromAuthorizerContext(
  authorizer: Record<string, unknown> | null | undefined,
): { tenantId: string; principal: Principal; expiresAt: Date | undefined } | null {
  if (authorizer === null || authorizer === undefined) {
    return null;
  }
  const tenantId = stringValue(authorizer, 'tenantId');
  const kind = stringValue(authorizer, 'principalKind');
  const id = stringValue(authorizer, 'principalId');
  if (tenantId === '' || id === '' || (kind !== 'user' && kind !== 'device')) {
    return null;
  }
  const userId = stringValue(authorizer, 'userId');
  const deviceId = stringValue(authorizer, 'deviceId');
  const deviceRevokedAt = stringValue(authorizer, 'deviceRevokedAt');
  const sessionId = stringValue(authorizer, 'sessionId');
  const displayName = stringValue(authorizer, 'displayName');
  const principal: Principal = {
    kind,
    id,
    ...(userId === '' ? {} : { userId }),
    ...(deviceId === '' ? {} : { deviceId }),
    ...(sessionId === '' ? {} : { sessionId }),
    ...(displayName === '' ? {} : { displayName }),
    ...(deviceRevokedAt === '' ? {} : { deviceRevokedAt }),
    roles: splitList(stringValue(authorizer, 'roles')),
    rights: new Set(splitList(stringValue(authorizer, 'rights')).filter(isRight)),
  };
  // API Gateway hands context numbers over as strings in REST events.
  const expiresAt = Number(authorizer.expiresAt);
  return {
    tenantId,
    principal,
    expiresAt: Number.isFinite(expiresAt) && expiresAt > 0 ? new Date(expiresAt * 1000) : undefined,
  };
}

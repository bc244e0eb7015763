/**
 * Login sessions: password login with lockout and throttling, device-token exchange, refresh-token rotation
 * with reuse detection, and logout. Each session is one refresh-token family; access tokens name it as `sid`.
 */
import type { Right } from '../../../generated/operations/index.js';
import type { Principal } from '../context.js';
import { getDevice, touchDeviceItem } from '../data/devices.js';
import { rightsOfRoles } from '../data/roles.js';
import { transactionCancellationCodes } from '../data/table.js';
import { getTenant, type TenantRecord } from '../data/tenants.js';
import {
  findRefreshToken,
  getRefreshFamily,
  type IssuedRefreshToken,
  type RefreshTokenOwner,
  revokeRefreshFamily,
  rotateRefreshToken,
  startRefreshFamily,
} from '../data/tokens.js';
import { getUser, transact, type UserRecord } from '../data/users.js';
import {
  AuthAccountLockedError,
  AuthAccountPendingError,
  AuthForbiddenError,
  AuthInvalidCredentialsError,
  AuthTokenExpiredError,
  DeviceRevokedError,
} from '../errors.js';
import { issueAccessToken } from './access-tokens.js';

/** The body of a successful login, refresh or device-token exchange (contract schema TokenResponse). */
export interface TokenResponse {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  principal: {
    kind: 'user' | 'device';
    id: string;
    tenantId: string;
    displayName: string;
    roles: string[];
    rights: Right[];
  };
}

/** A principal with what the token response shows about it. */
export interface SessionSubject {
  tenantId: string;
  principal: Omit<Principal, 'sessionId'>;
  displayName: string;
}

/** Signs an access token for the subject in the session of `refresh` and builds the response body. */
export async function tokenResponse(
  subject: SessionSubject,
  refresh: IssuedRefreshToken,
  now: Date,
): Promise<TokenResponse> {
  const principal: Principal = { ...subject.principal, sessionId: refresh.familyId };
  const access = await issueAccessToken(subject.tenantId, principal, now);
  return {
    accessToken: access.token,
    tokenType: 'Bearer',
    expiresIn: access.expiresIn,
    refreshToken: refresh.token,
    refreshTokenExpiresAt: refresh.expiresAt.toISOString(),
    principal: {
      kind: principal.kind,
      id: principal.id,
      tenantId: subject.tenantId,
      displayName: subject.displayName,
      roles: [...principal.roles],
      rights: [...principal.rights].sort(),
    },
  };
}

/** Starts a new session for a subject (login or device-token exchange). */
export async function startSession(subject: SessionSubject, now: Date): Promise<TokenResponse> {
  const owner: RefreshTokenOwner = {
    tenantId: subject.tenantId,
    kind: subject.principal.kind,
    principalId: subject.principal.id,
  };
  const refresh = await startRefreshFamily(owner, now);
  return tokenResponse(subject, refresh, now);
}

/** Throws ACCOUNT_PENDING unless the tenant exists and is active. */
export function requireActiveTenant(tenant: TenantRecord | undefined): TenantRecord {
  if (tenant === undefined || tenant.status !== 'active') {
    throw new AuthAccountPendingError(
      'The organisation of this account is not activated yet; a KatApp operator activates it.',
    );
  }
  return tenant;
}

/** Builds the session subject of an active user from its current roles. */
export async function userSubject(user: UserRecord): Promise<SessionSubject> {
  const rights = await rightsOfRoles(user.tenantId, user.roles);
  return {
    tenantId: user.tenantId,
    displayName: user.displayName,
    principal: {
      kind: 'user',
      id: user.id,
      userId: user.id,
      displayName: user.displayName,
      roles: [...user.roles],
      rights,
    },
  };
}

/**
 * Rotates a refresh token. A used token revokes its whole session, because it was copied. An unknown token is
 * rejected. A user who was deleted, locked or deactivated, or a revoked device, gets 403 and the session ends.
 */
export async function refreshSession(presented: string, now: Date): Promise<TokenResponse> {
  const lookup = await findRefreshToken(presented);
  if (lookup === undefined) {
    throw new AuthInvalidCredentialsError('The refresh token is not valid; log in again.');
  }
  const owner: RefreshTokenOwner = {
    tenantId: lookup.tenantId,
    kind: lookup.kind,
    principalId: lookup.principalId,
  };
  if (lookup.state === 'used') {
    await revokeRefreshFamily(owner, lookup.familyId, now);
    throw new AuthInvalidCredentialsError(
      'The refresh token was already used, so the session was ended to protect the account; log in again.',
    );
  }
  if (Date.parse(lookup.tokenExpiresAt) <= now.getTime()) {
    throw new AuthTokenExpiredError(`The refresh token expired at ${lookup.tokenExpiresAt}; log in again.`);
  }
  const family = await getRefreshFamily(owner, lookup.familyId);
  if (family === undefined || family.revokedAt !== null) {
    throw new AuthInvalidCredentialsError('The session of this refresh token has ended; log in again.');
  }

  const subject = await currentSubject(owner, now);
  if (subject instanceof Error) {
    await revokeRefreshFamily(owner, lookup.familyId, now);
    throw subject;
  }

  let rotated: IssuedRefreshToken;
  try {
    rotated = await rotateRefreshToken(presented, lookup, now);
  } catch (error) {
    if (transactionCancellationCodes(error) === null) {
      throw error;
    }
    // Another request rotated this token first: the same token was presented twice.
    await revokeRefreshFamily(owner, lookup.familyId, now);
    throw new AuthInvalidCredentialsError(
      'The refresh token was already used, so the session was ended to protect the account; log in again.',
      { cause: error },
    );
  }
  if (owner.kind === 'device') {
    await transact([touchDeviceItem(owner.tenantId, owner.principalId, now.toISOString())]);
  }
  return tokenResponse(subject, rotated, now);
}

/** Reads the principal behind a session again, or returns the error that ends the session. */
async function currentSubject(owner: RefreshTokenOwner, now: Date): Promise<SessionSubject | Error> {
  const tenant = await getTenant(owner.tenantId);
  if (tenant === undefined || tenant.status !== 'active') {
    return new AuthAccountPendingError('The organisation of this account is not active; log in again later.');
  }
  if (owner.kind === 'user') {
    const user = await getUser(owner.tenantId, owner.principalId);
    if (user === undefined) {
      return new AuthForbiddenError('The account of this session was deleted.');
    }
    if (user.status !== 'active') {
      return new AuthAccountPendingError('The account of this session is not active.');
    }
    if (user.lockedUntil > now.getTime()) {
      return new AuthAccountLockedError(
        'The account is locked after repeated failed logins; try again later.',
        (user.lockedUntil - now.getTime()) / 1000,
      );
    }
    return userSubject(user);
  }
  const device = await getDevice(owner.tenantId, owner.principalId);
  if (device === undefined) {
    return new AuthForbiddenError('The device of this session no longer exists.');
  }
  if (device.status !== 'active') {
    return new DeviceRevokedError(
      `The device was revoked at ${device.revokedAt ?? 'an unknown time'}; ask a tenant admin to register it again.`,
    );
  }
  return deviceSubject(device.tenantId, device.id, device.name, device.roleId);
}

/** Builds the session subject of a device from its role. */
export async function deviceSubject(
  tenantId: string,
  deviceId: string,
  name: string,
  roleId: string,
): Promise<SessionSubject> {
  const rights = await rightsOfRoles(tenantId, [roleId]);
  return {
    tenantId,
    displayName: name,
    principal: { kind: 'device', id: deviceId, deviceId, displayName: name, roles: [roleId], rights },
  };
}

/** Ends the session an access token belongs to. */
export async function endSession(tenantId: string, principal: Principal, now: Date): Promise<void> {
  if (principal.sessionId === undefined) {
    return;
  }
  await revokeRefreshFamily(
    { tenantId, kind: principal.kind, principalId: principal.id },
    principal.sessionId,
    now,
  );
}

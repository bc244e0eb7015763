/** Lambda function `auth`: registration, password login, token refresh, logout, device-token exchange. */

import { routes } from '../../../generated/operations/functions/auth.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/auth.js';
import { userView } from '../admin/representations.js';
import { newUserRecord } from '../admin/tenant-setup.js';
import { auditPut, recordAudit } from '../audit/index.js';
import { loginWithPassword } from '../auth/login.js';
import {
  deviceSubject,
  endSession,
  refreshSession,
  requireActiveTenant,
  startSession,
} from '../auth/sessions.js';
import { caller, type RequestContext } from '../context.js';
import { getDevice, touchDeviceItem } from '../data/devices.js';
import { transactionCancellationCodes } from '../data/table.js';
import { getTenant } from '../data/tenants.js';
import { findDeviceToken, sha256Hex } from '../data/tokens.js';
import { createUserItems, transact } from '../data/users.js';
import {
  AuthInvalidCredentialsError,
  AuthTokenExpiredError,
  DeviceRevokedError,
  ResourceNotFoundError,
  UserEmailTakenError,
} from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type AuthOperations = Pick<
  OperationHandlers<RequestContext>,
  'registerUser' | 'login' | 'refreshTokens' | 'logout' | 'exchangeDeviceToken'
>;

const registerUser: AuthOperations['registerUser'] = async (request, context) => {
  const { tenantId, email, displayName, password } = request.body;
  const tenant = await getTenant(tenantId);
  if (tenant === undefined || tenant.status !== 'active' || tenant.kind === 'operator') {
    throw new ResourceNotFoundError(`No active tenant ${tenantId} exists; pick one from GET /tenants.`);
  }
  const now = context.clock.now();
  const user = await newUserRecord(tenantId, { email, displayName, password }, 'pending', [], now);
  const audit = await auditPut(
    context,
    { action: 'create', entityType: 'user', entityId: user.id },
    { tenantId, kind: 'user', id: user.id, displayName: user.displayName },
  );
  try {
    await transact([...createUserItems(user), audit]);
  } catch (error) {
    const codes = transactionCancellationCodes(error);
    if (codes?.[1] === 'ConditionalCheckFailed') {
      throw new UserEmailTakenError(
        'A user with this e-mail address exists; log in or use another address.',
        {
          cause: error,
        },
      );
    }
    throw error;
  }
  return { status: 201, body: userView(user, now) };
};

const login: AuthOperations['login'] = async (request, context) => {
  const now = context.clock.now();
  const { tokens, user } = await loginWithPassword(request.body.email, request.body.password, now);
  await recordAudit(
    context,
    { action: 'login', entityType: 'user', entityId: user.id },
    { tenantId: user.tenantId, kind: 'user', id: user.id, displayName: user.displayName },
  );
  return { status: 200, body: tokens };
};

const refreshTokens: AuthOperations['refreshTokens'] = async (request, context) => {
  return { status: 200, body: await refreshSession(request.body.refreshToken, context.clock.now()) };
};

const logout: AuthOperations['logout'] = async (_request, context) => {
  const { tenantId, principal } = caller(context);
  await endSession(tenantId, principal, context.clock.now());
  await recordAudit(context, { action: 'logout', entityType: principal.kind, entityId: principal.id });
  return { status: 204, body: undefined };
};

const exchangeDeviceToken: AuthOperations['exchangeDeviceToken'] = async (request, context) => {
  const now = context.clock.now();
  const invalid = new AuthInvalidCredentialsError(
    'The device token is not valid for this IMEI; ask a tenant admin for a new device token.',
  );
  const lookup = await findDeviceToken(request.body.deviceToken);
  if (lookup === undefined) {
    throw invalid;
  }
  const device = await getDevice(lookup.tenantId, lookup.deviceId);
  if (
    device === undefined ||
    device.imei !== request.body.imei ||
    device.tokenHash !== sha256Hex(request.body.deviceToken)
  ) {
    throw invalid;
  }

  if (device.status !== 'active') {
    throw new DeviceRevokedError(
      `The device was revoked at ${device.revokedAt ?? 'an unknown time'}; ask a tenant admin to register it again.`,
    );
  }
  if (device.tokenExpiresAt !== null && Date.parse(device.tokenExpiresAt) <= now.getTime()) {
    throw new AuthTokenExpiredError(
      `The device token expired at ${device.tokenExpiresAt} before it was exchanged; ask a tenant admin for a new one.`,
    );
  }
  requireActiveTenant(await getTenant(device.tenantId));

  const subject = await deviceSubject(device.tenantId, device.id, device.name, device.roleId);
  const tokens = await startSession(subject, now);

  const audit = await auditPut(
    context,
    { action: 'login', entityType: 'device', entityId: device.id },
    { tenantId: device.tenantId, kind: 'device', id: device.id, displayName: device.name },
  );
  await transact([touchDeviceItem(device.tenantId, device.id, now.toISOString()), audit]);
  return { status: 200, body: tokens };
};

export const operations: AuthOperations = { registerUser, login, refreshTokens, logout, exchangeDeviceToken };

export const handler = createRestHandler('auth', operations, { routes, validators: requestValidators });

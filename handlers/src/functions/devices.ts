/** Lambda function `devices`: phones that run the KatApp app, their device tokens and revocation. */
import { randomUUID } from 'node:crypto';
import { routes } from '../../../generated/operations/functions/devices.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/devices.js';
import { deviceView } from '../admin/representations.js';
import { auditPut } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import {
  createDeviceItems,
  type DeviceRecord,
  getDevice,
  listDevices as listDeviceRecords,
  revokeDeviceItems,
  setDeviceTokenItem,
} from '../data/devices.js';
import { getRole } from '../data/roles.js';
import { transactionCancellationCodes } from '../data/table.js';
import {
  deviceTokenDelete,
  deviceTokenPut,
  newOpaqueToken,
  revokeAllRefreshFamilies,
  sha256Hex,
} from '../data/tokens.js';
import { transact } from '../data/users.js';
import { DeviceImeiTakenError, ResourceConflictError, ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type DeviceOperations = Pick<
  OperationHandlers<RequestContext>,
  'registerDevice' | 'listDevices' | 'revokeDevice' | 'createDeviceToken'
>;

const defaultPageSize = 100;

/** A device token must be exchanged within 7 days of its creation. */
export const deviceTokenExchangeWindowMs = 7 * 24 * 60 * 60 * 1000;

async function requireDevice(tenantId: string, deviceId: string): Promise<DeviceRecord> {
  const device = await getDevice(tenantId, deviceId);
  if (device === undefined) {
    throw new ResourceNotFoundError(`No device ${deviceId} exists in your tenant.`);
  }
  return device;
}

function rethrowConcurrentChange(error: unknown, deviceId: string): never {
  if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
    throw new ResourceConflictError(
      `Device ${deviceId} was changed by another request; read it again and retry.`,
      {
        cause: error,
      },
    );
  }
  throw error;
}

const registerDevice: DeviceOperations['registerDevice'] = async (request, context) => {
  const { tenantId } = caller(context);
  const role = await getRole(tenantId, request.body.roleId);
  if (role === undefined) {
    throw new ResourceNotFoundError(
      `No role ${request.body.roleId} exists in your tenant; list the roles with GET /roles.`,
    );
  }
  const device: DeviceRecord = {
    id: randomUUID(),
    tenantId,
    imei: request.body.imei,
    name: request.body.name,
    os: request.body.os,
    roleId: role.id,
    userName: request.body.userName ?? null,
    status: 'active',
    createdAt: context.clock.now().toISOString(),
    revokedAt: null,
    revocationReason: null,
    tokenHash: null,
    tokenIssuedAt: null,
    tokenExpiresAt: null,
    lastSeenAt: null,
  };
  try {
    await transact([
      ...createDeviceItems(device),
      await auditPut(context, { action: 'create', entityType: 'device', entityId: device.id }),
    ]);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[1] === 'ConditionalCheckFailed') {
      throw new DeviceImeiTakenError(
        `An active device with IMEI ${device.imei} exists in your tenant; revoke it first or check the IMEI.`,
        { cause: error },
      );
    }
    throw error;
  }
  return { status: 201, body: deviceView(device) };
};

const listDevices: DeviceOperations['listDevices'] = async (request, context) => {
  const { tenantId } = caller(context);
  const query = request.query;
  const page = await listDeviceRecords(tenantId, query.limit ?? defaultPageSize, query.cursor, query.status);
  return { status: 200, body: { items: page.items.map(deviceView), nextCursor: page.nextCursor } };
};

const revokeDevice: DeviceOperations['revokeDevice'] = async (request, context) => {
  const { tenantId } = caller(context);
  const device = await requireDevice(tenantId, request.path.deviceId);
  if (device.status === 'revoked') {
    throw new ResourceConflictError(`Device ${device.id} was already revoked at ${device.revokedAt}.`);
  }
  const now = context.clock.now();
  const revokedAt = now.toISOString();
  const reason = request.body.reason;
  try {
    await transact([
      ...revokeDeviceItems(device, revokedAt, reason),
      ...(device.tokenHash === null ? [] : [deviceTokenDelete(device.tokenHash)]),
      await auditPut(context, {
        action: 'revoke',
        entityType: 'device',
        entityId: device.id,
        details: { reason },
      }),
    ]);
  } catch (error) {
    rethrowConcurrentChange(error, device.id);
  }
  await revokeAllRefreshFamilies({ tenantId, kind: 'device', principalId: device.id }, now);
  const revoked: DeviceRecord = {
    ...device,
    status: 'revoked',
    revokedAt,
    revocationReason: reason,
    tokenHash: null,
    tokenExpiresAt: null,
  };
  return { status: 200, body: deviceView(revoked) };
};

const createDeviceToken: DeviceOperations['createDeviceToken'] = async (request, context) => {
  const { tenantId } = caller(context);
  const device = await requireDevice(tenantId, request.path.deviceId);
  if (device.status !== 'active') {
    throw new ResourceConflictError(
      `Device ${device.id} was revoked at ${device.revokedAt}; register the phone again to give it a token.`,
    );
  }
  const token = newOpaqueToken('kdt_');
  const hash = sha256Hex(token);
  const now = context.clock.now();
  const createdAt = now.toISOString();
  const expiresAt = new Date(now.getTime() + deviceTokenExchangeWindowMs).toISOString();
  try {
    await transact([
      setDeviceTokenItem(device, hash, createdAt, expiresAt),
      deviceTokenPut(hash, { tenantId, deviceId: device.id }, createdAt),
      ...(device.tokenHash === null ? [] : [deviceTokenDelete(device.tokenHash)]),
      await auditPut(context, { action: 'issue-token', entityType: 'device', entityId: device.id }),
    ]);
  } catch (error) {
    rethrowConcurrentChange(error, device.id);
  }
  return { status: 201, body: { deviceId: device.id, deviceToken: token, createdAt, expiresAt } };
};

export const operations: DeviceOperations = { registerDevice, listDevices, revokeDevice, createDeviceToken };

export const handler = createRestHandler('devices', operations, { routes, validators: requestValidators });

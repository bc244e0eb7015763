/** Lambda function `devices`: phones that run the KatApp app, their device tokens and revocation. */
import { randomUUID } from 'node:crypto';
import type { OperationHandlers } from '../../../generated/operations/index.js';
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
import {
  DeviceImeiTakenError,
  DeviceRevokedError,
  ResourceConflictError,
  ResourceNotFoundError,
} from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type DeviceOperations = Pick<
  OperationHandlers<RequestContext>,
  'registerDevice' | 'listDevices' | 'revokeDevice' | 'createDeviceToken'
>;

const defaultPageSize = 100;

async function requireDevice(tenantId: string, deviceId: string): Promise<DeviceRecord> {
  const device = await getDevice(tenantId, deviceId);
  if (device === undefined) {
    throw new ResourceNotFoundError(`No device ${deviceId} exists in your tenant.`);
  }
  return device;
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
    tokenHash: null,
    tokenCreatedAt: null,
    lastTokenExchangeAt: null,
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
  const page = await listDeviceRecords(
    tenantId,
    request.query?.limit ?? defaultPageSize,
    request.query?.cursor,
  );
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
  try {
    await transact([
      ...revokeDeviceItems(device, revokedAt),
      ...(device.tokenHash === null ? [] : [deviceTokenDelete(device.tokenHash)]),
      await auditPut(context, {
        action: 'update',
        entityType: 'device',
        entityId: device.id,
        details: { status: 'revoked' },
      }),
    ]);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ResourceConflictError(`Device ${device.id} was changed by another request; read it again.`, {
        cause: error,
      });
    }
    throw error;
  }
  await revokeAllRefreshFamilies({ tenantId, kind: 'device', principalId: device.id }, now);
  return { status: 200, body: deviceView({ ...device, status: 'revoked', revokedAt, tokenHash: null }) };
};

const createDeviceToken: DeviceOperations['createDeviceToken'] = async (request, context) => {
  const { tenantId } = caller(context);
  const device = await requireDevice(tenantId, request.path.deviceId);
  if (device.status !== 'active') {
    throw new DeviceRevokedError(
      `Device ${device.id} was revoked; register the phone again to give it a token.`,
    );
  }
  const token = newOpaqueToken('kdt_');
  const hash = sha256Hex(token);
  const createdAt = context.clock.now().toISOString();
  try {
    await transact([
      setDeviceTokenItem(device, hash, createdAt),
      deviceTokenPut(hash, { tenantId, deviceId: device.id }, createdAt),
      ...(device.tokenHash === null ? [] : [deviceTokenDelete(device.tokenHash)]),
      await auditPut(context, {
        action: 'update',
        entityType: 'device',
        entityId: device.id,
        details: { tokenCreated: true },
      }),
    ]);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      throw new ResourceConflictError(`Device ${device.id} was changed by another request; retry.`, {
        cause: error,
      });
    }
    throw error;
  }
  return {
    status: 201,
    body: {
      deviceToken: token,
      device: deviceView({ ...device, tokenHash: hash, tokenCreatedAt: createdAt }),
    },
  };
};

export const operations: DeviceOperations = { registerDevice, listDevices, revokeDevice, createDeviceToken };

export const handler = createRestHandler('devices', operations);

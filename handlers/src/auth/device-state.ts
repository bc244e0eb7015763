/**
 * Applies a device's current state to its principal. A revoked device keeps only the rights needed to upload
 * triages it captured before the revocation, and their photos. The triage handler accepts only those triages
 * and flags them. The authorizer and the adapter both apply the state, because API Gateway may serve a cached
 * policy for up to 300 s after a revocation.
 */
import type { Right } from '../../../generated/operations/index.js';
import type { Principal } from '../context.js';
import { getDevice } from '../data/devices.js';

export const revokedDeviceRights: ReadonlySet<Right> = new Set<Right>(['ActionCreateTriage']);

/** Returns the principal as the device's record allows it now, or undefined when the device no longer exists. */
export async function withDeviceState(
  tenantId: string,
  principal: Principal,
): Promise<Principal | undefined> {
  if (principal.kind !== 'device') {
    return principal;
  }
  const device = await getDevice(tenantId, principal.id);
  if (device === undefined) {
    return undefined;
  }
  if (device.status === 'active') {
    return principal;
  }
  return {
    ...principal,
    rights: new Set([...principal.rights].filter((right) => revokedDeviceRights.has(right))),
    deviceRevokedAt: device.revokedAt ?? new Date(0).toISOString(),
  };
}

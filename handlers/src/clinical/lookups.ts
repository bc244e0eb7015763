/** Reads of disasters and patients that throw 404 (or 409 for a closed disaster), shared by the functions. */
import { type DisasterRecord, getDisaster } from '../data/disasters.js';
import { getPatientById, type PatientRecord } from '../data/patients.js';
import { DisasterClosedError, ResourceNotFoundError } from '../errors.js';

export function disasterNotFound(disasterId: string): ResourceNotFoundError {
  return new ResourceNotFoundError(`No disaster ${disasterId} exists in your tenant.`);
}

/** Throws 409 DISASTER_CLOSED unless the disaster accepts writes. */
export function ensureActive(disaster: DisasterRecord): void {
  if (disaster.status !== 'active') {
    throw new DisasterClosedError(
      `Disaster ${disaster.id} was closed at ${disaster.closedAt ?? 'an unknown time'} and is read-only.`,
    );
  }
}

export async function requireDisaster(tenantId: string, disasterId: string): Promise<DisasterRecord> {
  const disaster = await getDisaster(tenantId, disasterId);
  if (disaster === undefined) throw disasterNotFound(disasterId);
  return disaster;
}

/** Returns the disaster if it exists in the tenant and is active; 404 or 409 otherwise. */
export async function requireActiveDisaster(tenantId: string, disasterId: string): Promise<DisasterRecord> {
  const disaster = await requireDisaster(tenantId, disasterId);
  ensureActive(disaster);
  return disaster;
}

export async function requirePatient(tenantId: string, patientId: string): Promise<PatientRecord> {
  const patient = await getPatientById(tenantId, patientId);
  if (patient === undefined)
    throw new ResourceNotFoundError(`No patient ${patientId} exists in your tenant.`);
  return patient;
}

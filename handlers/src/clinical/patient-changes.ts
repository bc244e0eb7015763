/**
 * Patient writes outside triage uploads: registering a card code, the merge patch of profile fields and
 * status, and the audited age group correction. Each runs read-decide-write with the patient's version as the
 * condition, together with the overview counters and the audit event in one transaction.
 */
import type { components } from '../../../generated/types/openapi.js';
import { auditPut } from '../audit/index.js';
import { caller, hasRight, type RequestContext } from '../context.js';
import { transactWrite } from '../data/clinical-items.js';
import { disasterActiveCheck } from '../data/disasters.js';
import { withOptimisticRetry } from '../data/optimistic-retry.js';
import { overviewUpdateItem } from '../data/overview.js';
import { getCardRegistration, type Identity, type PatientRecord, putPatientItems } from '../data/patients.js';
import { counterChanges } from '../domain/overview-counters.js';
import {
  AuthForbiddenError,
  PatientAgeGroupFixedError,
  PatientCardCodeTakenError,
  RequestValidationError,
  ResourceConflictError,
} from '../errors.js';
import { requireActiveDisaster, requirePatient } from './lookups.js';
import { countedPatient, mergeProfile, newPatientRecord } from './patient-updates.js';

type Schemas = components['schemas'];
export type PatientRegistration = Schemas['PatientWrite'];
export type PatientPatch = Schemas['PatientPatch'];
export type AgeGroupCorrection = Schemas['AgeGroupCorrection'];

function requireIdentityRight(context: RequestContext): void {
  if (!hasRight(context, 'ActionViewPatientIdentity')) {
    throw new AuthForbiddenError(
      'Writing identity needs the right ActionViewPatientIdentity; leave identity out.',
    );
  }
}

function checkAgeRange(ageGroup: string, ageRange: string | undefined, pointer: string): void {
  if (ageRange !== undefined && !ageRange.startsWith(`${ageGroup}-`)) {
    throw new RequestValidationError(
      `The ageRange ${ageRange} does not belong to the age group ${ageGroup}.`,
      [{ pointer, message: `must be a ${ageGroup} age range` }],
    );
  }
}

/** Writes a changed patient with its counter changes, the active-disaster check and an audit event. */
async function savePatient(
  context: RequestContext,
  before: PatientRecord | undefined,
  after: PatientRecord,
  audit: Parameters<typeof auditPut>[1],
): Promise<void> {
  const changes = counterChanges({
    patientBefore: before === undefined ? undefined : countedPatient(before),
    patientAfter: countedPatient(after),
  });
  const overviewUpdate = overviewUpdateItem(after.tenantId, after.disasterId, changes);
  await transactWrite([
    ...putPatientItems(after, before === undefined ? null : before.version),
    ...(overviewUpdate === undefined ? [] : [overviewUpdate]),
    disasterActiveCheck(after.tenantId, after.disasterId),
    await auditPut(context, audit),
  ]);
}

/** Registers a card code as an untriaged patient of an active disaster. */
export async function createPatient(
  context: RequestContext,
  disasterId: string,
  body: PatientRegistration,
): Promise<PatientRecord> {
  const { tenantId } = caller(context);
  if (body.identity !== undefined && body.identity !== null) requireIdentityRight(context);
  checkAgeRange(body.ageGroup, body.ageRange, '/body/ageRange');

  return withOptimisticRetry(`card code ${body.cardCode}`, async () => {
    const disaster = await requireActiveDisaster(tenantId, disasterId);
    const card = await getCardRegistration(tenantId, body.cardCode);
    if (card !== undefined) {
      throw new PatientCardCodeTakenError(
        `Card code ${body.cardCode} already belongs to a patient of disaster ${card.disasterId}; card codes are never reused.`,
      );
    }
    const now = context.clock.now().toISOString();
    const patient = newPatientRecord(disaster, body.cardCode, body.ageGroup, now);
    const registered: PatientRecord = {
      ...patient,
      ...mergeProfile(patient, now, {
        ageRange: body.ageRange,
        gender: body.gender,
        identity: body.identity,
      }),
      version: 1,
    };
    await savePatient(context, undefined, registered, {
      action: 'create',
      entityType: 'patient',
      entityId: registered.id,
      disasterId: disaster.id,
    });
    return registered;
  });
}

/**
 * Applies an RFC 7396 merge patch to an identity: members set to null are removed, other members replace
 * the stored ones. A null patch removes the whole identity.
 */
export function mergeIdentity(current: Identity | null, patch: Identity | null): Identity | null {
  if (patch === null) return null;
  const merged: Record<string, unknown> = { ...(current ?? {}) };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else merged[name] = value;
  }
  return Object.keys(merged).length === 0 ? null : (merged as Identity);
}

/** Applies a merge patch to a patient's profile fields and status. */
export async function updatePatient(
  context: RequestContext,
  patientId: string,
  patch: PatientPatch,
): Promise<PatientRecord> {
  const { tenantId } = caller(context);
  if (patch.identity !== undefined) requireIdentityRight(context);

  return withOptimisticRetry(`patient ${patientId}`, async () => {
    const patient = await requirePatient(tenantId, patientId);
    if (patch.ageGroup !== undefined && patch.ageGroup !== patient.ageGroup) {
      throw new PatientAgeGroupFixedError(
        `The age group cannot change in a patch; use POST /patients/${patientId}/age-group-correction with a reason.`,
      );
    }
    checkAgeRange(patient.ageGroup, patch.ageRange, '/body/ageRange');
    await requireActiveDisaster(tenantId, patient.disasterId);

    const now = context.clock.now().toISOString();
    const identity =
      patch.identity === undefined ? undefined : mergeIdentity(patient.identity, patch.identity);
    const updated: PatientRecord = {
      ...patient,
      ...mergeProfile(patient, now, { ageRange: patch.ageRange, gender: patch.gender, identity }),
      status: patch.status ?? patient.status,
      updatedAt: now,
      version: patient.version + 1,
    };
    await savePatient(context, patient, updated, {
      action: 'update',
      entityType: 'patient',
      entityId: patientId,
      disasterId: patient.disasterId,
      // Field names only: the audit log never contains names or clinical values.
      details: { changedFields: Object.keys(patch).sort() },
    });
    return updated;
  });
}

/** Changes the age group fixed by the first triage, recording the reason in the audit log. */
export async function correctAgeGroup(
  context: RequestContext,
  patientId: string,
  correction: AgeGroupCorrection,
): Promise<PatientRecord> {
  const { tenantId } = caller(context);
  checkAgeRange(correction.ageGroup, correction.ageRange, '/body/ageRange');

  return withOptimisticRetry(`patient ${patientId}`, async () => {
    const patient = await requirePatient(tenantId, patientId);
    if (patient.ageGroup === correction.ageGroup) {
      throw new ResourceConflictError(
        `Patient ${patientId} is already in the age group ${correction.ageGroup}; nothing to correct.`,
      );
    }
    await requireActiveDisaster(tenantId, patient.disasterId);

    const now = context.clock.now().toISOString();
    const corrected: PatientRecord = {
      ...patient,
      ageGroup: correction.ageGroup,
      ageRange: correction.ageRange,
      profileTimes: { ...patient.profileTimes, ageRange: now },
      updatedAt: now,
      version: patient.version + 1,
    };
    await savePatient(context, patient, corrected, {
      action: 'correct',
      entityType: 'patient',
      entityId: patientId,
      disasterId: patient.disasterId,
      details: { changedFields: ['ageGroup', 'ageRange'], reason: correction.reason },
    });
    return corrected;
  });
}

/**
 * Maps clinical records to the response shapes of the contract. Identity fields (patient names) leave here
 * only for callers with ActionViewPatientIdentity.
 */
import type { components } from '../../../generated/types/openapi.js';
import type { RequestContext } from '../context.js';
import { hasRight } from '../context.js';
import type { DisasterRecord } from '../data/disasters.js';
import type { PatientRecord } from '../data/patients.js';
import type { TriageRecord } from '../data/triages.js';
import { derive } from '../domain/patient-state.js';

type Schemas = components['schemas'];

/** Tells whether the caller may see patient names. */
export function mayViewIdentity(context: RequestContext): boolean {
  return hasRight(context, 'ActionViewPatientIdentity');
}

export function disasterView(disaster: DisasterRecord): Schemas['Disaster'] {
  return {
    id: disaster.id,
    name: disaster.name,
    description: disaster.description,
    mode: disaster.mode,
    status: disaster.status,
    position: disaster.position,
    radiusKm: disaster.radiusKm,
    startedAt: disaster.startedAt,
    closedAt: disaster.closedAt,
    createdAt: disaster.createdAt,
    createdBy: disaster.createdBy,
  };
}

export function triageView(triage: TriageRecord, withIdentity: boolean): Schemas['Triage'] {
  const { identity, ...content } = triage.content as Schemas['TriageWrite'];
  return {
    ...content,
    ...(withIdentity && identity !== undefined ? { identity } : {}),
    id: triage.id,
    disasterId: triage.disasterId,
    patientId: triage.patientId,
    cardCode: triage.cardCode,
    capturedAt: triage.capturedAt,
    receivedAt: triage.receivedAt,
    deviceId: triage.deviceId,
    userId: triage.userId,
    supersedes: triage.supersedes,
    supersededBy: triage.supersededBy,
    status: triage.status,
    confirmedBy: triage.confirmedBy,
    confirmedAt: triage.confirmedAt,
    flags: [...triage.flags],
  };
}

export function patientView(patient: PatientRecord, withIdentity: boolean): Schemas['Patient'] {
  const derived = derive(patient);
  return {
    id: patient.id,
    disasterId: patient.disasterId,
    cardCode: patient.cardCode,
    ageGroup: patient.ageGroup,
    ...(patient.ageRange === null ? {} : { ageRange: patient.ageRange }),
    ...(patient.gender === null ? {} : { gender: patient.gender }),
    ...(withIdentity ? { identity: patient.identity } : {}),
    status: patient.status,
    currentCategory: derived.currentCategory,
    currentStage: derived.currentStage,
    currentTriageId: derived.currentTriageId,
    transportPriority: derived.transportPriority,
    pendingConfirmation: derived.pendingConfirmation,
    recoveryState: derived.recoveryState,
    measures: { ...patient.measures },
    triageCount: patient.triageCount,
    categoryTrend: derived.categoryTrend,
    firstTriagedAt: patient.firstTriagedAt,
    lastTriagedAt: derived.lastTriagedAt,
    position: derived.position,
    createdAt: patient.createdAt,
    updatedAt: patient.updatedAt,
  };
}

/** Returns the compact state of one patient that the dashboard map and patient table show. */
export function mapPatientView(patient: PatientRecord): Schemas['MapPatient'] {
  const derived = derive(patient);
  return {
    patientId: patient.id,
    cardCode: patient.cardCode,
    ageGroup: patient.ageGroup,
    status: patient.status,
    category: derived.currentCategory,
    stage: derived.currentStage,
    triageId: derived.currentTriageId,
    capturedAt: derived.lastTriagedAt,
    position: derived.position,
    pendingConfirmation: derived.pendingConfirmation,
    transportPriority: derived.transportPriority,
  };
}

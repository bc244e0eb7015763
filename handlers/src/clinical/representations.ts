/**
 * Maps clinical records to the response shapes of the contract. Identity fields (patient names) leave here
 * only for callers with ActionViewPatientIdentity.
 */

import type { components } from '../../../generated/types/openapi.js';
import type { RequestContext } from '../context.js';
import { hasRight } from '../context.js';
import type { DisasterRecord } from '../data/disasters.js';
import type { MapPatientItem } from '../data/overview.js';
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

/** Returns the map state of a patient from the stored attributes of its item, without reading its history. */
export function mapPatientItemView(item: MapPatientItem): Schemas['MapPatient'] {
  return {
    patientId: item.id,
    cardCode: item.cardCode,
    ageGroup: item.ageGroup as Schemas['MapPatient']['ageGroup'],
    status: item.status as Schemas['MapPatient']['status'],
    category: item.currentCategory as Schemas['MapPatient']['category'],
    stage: (item.currentStage ?? null) as Schemas['MapPatient']['stage'],
    triageId: item.currentTriageId ?? null,
    capturedAt: item.lastTriagedAt ?? null,
    position: (item.position ?? null) as Schemas['MapPatient']['position'],
    pendingConfirmation: item.pendingConfirmation === true,
    transportPriority: (item.transportPriority ?? null) as Schemas['MapPatient']['transportPriority'],
  };
}

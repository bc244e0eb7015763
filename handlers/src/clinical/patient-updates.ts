/** Patient fields that triages and patches change besides the clinical history. */
import { randomUUID } from 'node:crypto';
import type { DisasterRecord } from '../data/disasters.js';
import type { Identity, Measures, PatientRecord, ProfileTimes } from '../data/patients.js';
import type { TriageRecord } from '../data/triages.js';
import type { CountedPatient, CountedTriage } from '../domain/overview-counters.js';
import { type AgeGroup, derive, untriagedState } from '../domain/patient-state.js';
import type { Stage, TriageCategory } from '../domain/vocabulary.js';

/** Returns the counter view of a patient. */
export function countedPatient(patient: PatientRecord): CountedPatient {
  const derived = derive(patient);
  return {
    stage: derived.currentStage,
    category: derived.currentCategory,
    status: patient.status,
    pendingConfirmation: derived.pendingConfirmation,
  };
}

/** Returns the counter view of a stored triage. */
export function countedTriage(triage: TriageRecord): CountedTriage {
  return { stage: triage.content.stage as Stage, category: triage.content.category as TriageCategory };
}

/** Returns the measures of both sets: a measure reported as taken once stays taken. */
export function mergeMeasures(current: Measures, reported: Measures | undefined): Measures {
  const merged: Record<string, boolean> = { ...current };
  for (const [name, taken] of Object.entries(reported ?? {})) {
    if (typeof taken === 'boolean') merged[name] = (merged[name] ?? false) || taken;
  }
  return merged as Measures;
}

export interface ProfileValues {
  ageRange?: PatientRecord['ageRange'] | undefined;
  gender?: PatientRecord['gender'] | undefined;
  identity?: Identity | null | undefined;
}

/**
 * Applies profile values reported at `time` (a triage's capture time, or the server time of a patch). A value
 * replaces the stored one only if no later report set it, so a late upload of an old triage never overwrites
 * a newer name or age range. Undefined values leave a field alone.
 */
export function mergeProfile(
  patient: Pick<PatientRecord, 'ageRange' | 'gender' | 'identity' | 'profileTimes'>,
  time: string,
  values: ProfileValues,
): Pick<PatientRecord, 'ageRange' | 'gender' | 'identity' | 'profileTimes'> {
  const result = {
    ageRange: patient.ageRange,
    gender: patient.gender,
    identity: patient.identity,
    profileTimes: { ...patient.profileTimes } as ProfileTimes,
  };
  for (const field of ['ageRange', 'gender', 'identity'] as const) {
    const value = values[field];
    if (value === undefined) continue;
    const setAt = result.profileTimes[field];
    if (setAt !== undefined && Date.parse(setAt) > Date.parse(time)) continue;
    (result as Record<string, unknown>)[field] = value;
    result.profileTimes[field] = time;
  }
  return result;
}

/** Returns a new, untriaged patient of a disaster; it has version 0 until its first write. */
export function newPatientRecord(
  disaster: DisasterRecord,
  cardCode: string,
  ageGroup: AgeGroup,
  createdAt: string,
): PatientRecord {
  return {
    ...untriagedState(ageGroup),
    id: randomUUID(),
    tenantId: disaster.tenantId,
    disasterId: disaster.id,
    cardCode,
    ageRange: null,
    gender: null,
    identity: null,
    status: 'in-care',
    measures: {},
    profileTimes: {},
    createdAt,
    updatedAt: createdAt,
    expiresAt: disaster.expiresAt,
    version: 0,
  };
}

// Overview counters of a disaster: patients per stage and category, totals, released and pending patients.
import { type PatientCategory, STAGES, type Stage, TRIAGE_CATEGORIES } from './vocabulary.js';

/** What the counters see of one patient. */
export interface CountedPatient {
  /** Stage of the current triage; undefined for a registered card with no triage and no stage. */
  readonly stage: Stage | undefined;
  readonly category: PatientCategory;
  readonly released: boolean;
  /** True while the current triage waits for a physician's confirmation. */
  readonly pendingConfirmation: boolean;
}

/** Stage cell of patients registered without a stage. */
export const NO_STAGE = 'none';

/** Names of the counter attributes, which are plain numbers on one overview item. */
export const COUNTER = {
  patientsTotal: 'patientsTotal',
  patientsReleased: 'patientsReleased',
  patientsPendingConfirmation: 'patientsPendingConfirmation',
  triagesTotal: 'triagesTotal',
} as const;

/** Returns the attribute name of the counter of one stage × category cell, for example `cell:incident:red`. */
export function cellCounter(stage: Stage | typeof NO_STAGE, category: PatientCategory): string {
  return `cell:${stage}:${category}`;
}

/** Lists every stage × category cell counter name, including `untriaged` and patients without a stage. */
export function allCellCounters(): {
  stage: Stage | typeof NO_STAGE;
  category: PatientCategory;
  name: string;
}[] {
  const cells: { stage: Stage | typeof NO_STAGE; category: PatientCategory; name: string }[] = [];
  for (const stage of [...STAGES, NO_STAGE] as const) {
    for (const category of [...TRIAGE_CATEGORIES, 'untriaged'] as const) {
      cells.push({ stage, category, name: cellCounter(stage, category) });
    }
  }
  return cells;
}

/**
 * Returns the counter increments that move a patient from one state to another: `before` is undefined for a
 * new patient and `after` is undefined for a removed one. Counters that do not change are left out, so the
 * result never names one attribute twice and can go into a single DynamoDB ADD expression.
 */
export function counterChanges(
  before: CountedPatient | undefined,
  after: CountedPatient | undefined,
  newTriages = 0,
): Map<string, number> {
  const changes = new Map<string, number>();
  const add = (name: string, delta: number) => {
    const next = (changes.get(name) ?? 0) + delta;
    if (next === 0) changes.delete(name);
    else changes.set(name, next);
  };

  for (const [patient, sign] of [
    [before, -1],
    [after, 1],
  ] as const) {
    if (patient === undefined) continue;
    add(COUNTER.patientsTotal, sign);
    add(cellCounter(patient.stage ?? NO_STAGE, patient.category), sign);
    if (patient.released) add(COUNTER.patientsReleased, sign);
    if (patient.pendingConfirmation) add(COUNTER.patientsPendingConfirmation, sign);
  }
  if (newTriages !== 0) add(COUNTER.triagesTotal, newTriages);
  return changes;
}

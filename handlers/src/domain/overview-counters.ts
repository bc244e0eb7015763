// Overview counters of a disaster, kept as plain number attributes on one item and changed with ADD.
import {
  PATIENT_CATEGORIES,
  PATIENT_STATUSES,
  type PatientCategory,
  type PatientStatus,
  STAGES,
  type Stage,
  type TriageCategory,
} from './vocabulary.js';

/** Patient as the counters see it. */
export interface CountedPatient {
  /** Stage of the current triage, null before the first triage. */
  readonly stage: Stage | null;
  readonly category: PatientCategory;
  readonly status: PatientStatus;
  /** True while the current triage waits for a physician's confirmation. */
  readonly pendingConfirmation: boolean;
}

/** Triage as the counters see it. */
export interface CountedTriage {
  readonly stage: Stage;
  readonly category: TriageCategory;
}

/** Attribute names of the counters on the overview item. */
export const COUNTER = {
  patientsTotal: 'patientsTotal',
  pendingConfirmations: 'pendingConfirmations',
  /** Triages that are not superseded; it equals the sum of the triage cells. */
  triagesTotal: 'triagesTotal',
  patientsByCategory: (category: PatientCategory) => `patients:${category}`,
  patientsByStatus: (status: PatientStatus) => `status:${status}`,
  /** Patients by current stage and category; untriaged patients have no stage and no cell. */
  patientCell: (stage: Stage, category: PatientCategory) => `patients:${stage}:${category}`,
  /** Triages by the stage and category they recorded, superseded ones excluded. */
  triageCell: (stage: Stage, category: TriageCategory) => `triages:${stage}:${category}`,
  /** Capture time of the latest triage at a stage (a string, not a counter). */
  lastTriageAt: (stage: Stage) => `lastTriageAt:${stage}`,
} as const;

/** The changes one write makes: the patient before and after (undefined when absent) and triages counted in or out. */
export interface CounterTransition {
  readonly patientBefore?: CountedPatient | undefined;
  readonly patientAfter?: CountedPatient | undefined;
  readonly triagesAdded?: readonly CountedTriage[];
  readonly triagesRemoved?: readonly CountedTriage[];
}

/**
 * Returns the counter increments of one transition. Counters that end at zero change are left out, so the
 * result never names one attribute twice and fits a single DynamoDB ADD expression.
 */
export function counterChanges(transition: CounterTransition): Map<string, number> {
  const changes = new Map<string, number>();
  const add = (name: string, delta: number) => {
    const next = (changes.get(name) ?? 0) + delta;
    if (next === 0) changes.delete(name);
    else changes.set(name, next);
  };

  const countPatient = (patient: CountedPatient | undefined, sign: number) => {
    if (patient === undefined) return;
    add(COUNTER.patientsTotal, sign);
    add(COUNTER.patientsByCategory(patient.category), sign);
    add(COUNTER.patientsByStatus(patient.status), sign);
    if (patient.stage !== null) add(COUNTER.patientCell(patient.stage, patient.category), sign);
    if (patient.pendingConfirmation) add(COUNTER.pendingConfirmations, sign);
  };
  countPatient(transition.patientBefore, -1);
  countPatient(transition.patientAfter, 1);

  for (const [triages, sign] of [
    [transition.triagesAdded ?? [], 1],
    [transition.triagesRemoved ?? [], -1],
  ] as const) {
    for (const triage of triages) {
      add(COUNTER.triagesTotal, sign);
      add(COUNTER.triageCell(triage.stage, triage.category), sign);
    }
  }
  return changes;
}

export type CategoryCounts = Record<PatientCategory, number>;
export type StageCategoryCounts = Record<Stage, CategoryCounts>;

/** The counters in the shape the overview returns. */
export interface OverviewCounts {
  readonly patientsTotal: number;
  readonly patientsReleased: number;
  readonly patientsByStatus: Record<PatientStatus, number>;
  readonly patientsByCategory: CategoryCounts;
  readonly countsByStageAndCategory: StageCategoryCounts;
  readonly triagesTotal: number;
  readonly triageCountsByStageAndCategory: StageCategoryCounts;
  readonly pendingConfirmations: number;
}

/** Reads the counters from an overview item's attributes; missing attributes count as zero. */
export function readCounters(attributes: Readonly<Record<string, unknown>>): OverviewCounts {
  const read = (name: string): number => {
    const value = attributes[name];
    return typeof value === 'number' && value > 0 ? value : 0;
  };
  const categoryCounts = (name: (category: PatientCategory) => string): CategoryCounts =>
    Object.fromEntries(
      PATIENT_CATEGORIES.map((category) => [category, read(name(category))]),
    ) as CategoryCounts;
  const stageCounts = (name: (stage: Stage, category: PatientCategory) => string): StageCategoryCounts =>
    Object.fromEntries(
      STAGES.map((stage) => [stage, categoryCounts((category) => name(stage, category))]),
    ) as StageCategoryCounts;
  const patientsByStatus = Object.fromEntries(
    PATIENT_STATUSES.map((status) => [status, read(COUNTER.patientsByStatus(status))]),
  ) as Record<PatientStatus, number>;

  return {
    patientsTotal: read(COUNTER.patientsTotal),
    patientsReleased: patientsByStatus.released,
    patientsByStatus,
    patientsByCategory: categoryCounts(COUNTER.patientsByCategory),
    countsByStageAndCategory: stageCounts(COUNTER.patientCell),
    triagesTotal: read(COUNTER.triagesTotal),
    triageCountsByStageAndCategory: stageCounts((stage, category) =>
      // `untriaged` is never a triage's category, so this attribute never exists and reads as zero.
      category === 'untriaged' ? 'triages:untriaged' : COUNTER.triageCell(stage, category),
    ),
    pendingConfirmations: read(COUNTER.pendingConfirmations),
  };
}

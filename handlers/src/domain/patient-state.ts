// Derivation of a patient's current state from its triages, independent of upload order.
import type { TriageStatus } from './confirmation.js';
import type { PatientCategory, Stage, TriageCategory } from './vocabulary.js';

export type AgeGroup = 'adult' | 'child';
export type TransportPriority = 'a' | 'b';
export type RecoveryState = 'trapped' | 'free';

export interface GeoPosition {
  readonly lat: number;
  readonly lon: number;
  readonly accuracyMeters?: number | null;
}

/** History entry: the fields of one triage that is not superseded. Times are UTC with milliseconds. */
export interface HistoryEntry {
  readonly triageId: string;
  readonly capturedAt: string;
  readonly stage: Stage;
  readonly category: TriageCategory;
  readonly status: TriageStatus;
  readonly transportPriority: TransportPriority | null;
  readonly position: GeoPosition | null;
  readonly recoveryState: RecoveryState | null;
}

/**
 * Most history entries a patient record keeps. Real patients get a handful of triages; the cap bounds the
 * item size. When a correction removes an entry, the next older one is then still known.
 */
export const MAX_HISTORY_ENTRIES = 100;

/** Length of the category trend the patient record shows. */
export const CATEGORY_TREND_LENGTH = 20;

/** The part of a patient record that triages change. */
export interface PatientClinicalState {
  readonly ageGroup: AgeGroup;
  /** Triages that are not superseded, ordered by capture time and then triage id, oldest first. */
  readonly history: readonly HistoryEntry[];
  /** All triages of the patient, superseded ones included. */
  readonly triageCount: number;
  /** Earliest capture time of any triage, superseded ones included. */
  readonly firstTriagedAt: string | null;
}

/** The state a patient's record shows, derived from its history. */
export interface DerivedPatientState {
  readonly currentCategory: PatientCategory;
  readonly currentStage: Stage | null;
  readonly currentTriageId: string | null;
  readonly lastTriagedAt: string | null;
  readonly transportPriority: TransportPriority | null;
  readonly pendingConfirmation: boolean;
  readonly position: GeoPosition | null;
  readonly recoveryState: RecoveryState | null;
  readonly categoryTrend: TriageCategory[];
}

export type TriageApplication =
  | {
      readonly ok: true;
      readonly state: PatientClinicalState;
      /** True when the triage is now the patient's current triage. */
      readonly becameCurrent: boolean;
    }
  | {
      readonly ok: false;
      readonly problem: 'age-group-fixed';
      readonly fixed: AgeGroup;
      readonly received: AgeGroup;
    };

/** Orders two entries by capture time, then triage id, so every writer derives the same current triage. */
export function compareEntries(a: HistoryEntry, b: HistoryEntry): number {
  const byTime = Date.parse(a.capturedAt) - Date.parse(b.capturedAt);
  if (byTime !== 0) return byTime;
  if (a.triageId === b.triageId) return 0;
  return a.triageId < b.triageId ? -1 : 1;
}

/** State of a patient whose card was registered but who has no triage yet. */
export function untriagedState(ageGroup: AgeGroup): PatientClinicalState {
  return { ageGroup, history: [], triageCount: 0, firstTriagedAt: null };
}

/**
 * Applies one triage to a patient's state. The triage joins the history at its capture time, so a late upload
 * of an older triage fills in history but never replaces a newer current triage. A triage that supersedes
 * another removes that one from the history. The age group is fixed: a triage for the other age group is
 * rejected, because the age group selects the adult or child algorithm and only an explicit correction may
 * change it.
 */
export function applyTriage(
  state: PatientClinicalState,
  entry: HistoryEntry,
  ageGroup: AgeGroup,
  supersedes: string | null,
): TriageApplication {
  if (ageGroup !== state.ageGroup) {
    return { ok: false, problem: 'age-group-fixed', fixed: state.ageGroup, received: ageGroup };
  }

  const remaining = state.history.filter(
    (existing) => existing.triageId !== supersedes && existing.triageId !== entry.triageId,
  );
  const history = [...remaining, entry].sort(compareEntries).slice(-MAX_HISTORY_ENTRIES);
  const firstTriagedAt =
    state.firstTriagedAt === null || Date.parse(entry.capturedAt) < Date.parse(state.firstTriagedAt)
      ? entry.capturedAt
      : state.firstTriagedAt;

  return {
    ok: true,
    becameCurrent: history.at(-1)?.triageId === entry.triageId,
    state: { ageGroup: state.ageGroup, history, triageCount: state.triageCount + 1, firstTriagedAt },
  };
}

/** Marks a pending history entry as final after a physician's confirmation. Unknown ids change nothing. */
export function confirmEntry(state: PatientClinicalState, triageId: string): PatientClinicalState {
  return {
    ...state,
    history: state.history.map((entry) =>
      entry.triageId === triageId ? { ...entry, status: 'final' } : entry,
    ),
  };
}

/** Derives the current category, stage and the other shown fields from the history. */
export function derive(state: PatientClinicalState): DerivedPatientState {
  const current = state.history.at(-1);
  const latestWith = <K extends 'position' | 'recoveryState'>(field: K): HistoryEntry[K] | null =>
    state.history.findLast((entry) => entry[field] !== null)?.[field] ?? null;
  return {
    currentCategory: current?.category ?? 'untriaged',
    currentStage: current?.stage ?? null,
    currentTriageId: current?.triageId ?? null,
    lastTriagedAt: current?.capturedAt ?? null,
    transportPriority: current?.transportPriority ?? null,
    pendingConfirmation: current?.status === 'pending-confirmation',
    position: latestWith('position'),
    recoveryState: latestWith('recoveryState'),
    categoryTrend: state.history.slice(-CATEGORY_TREND_LENGTH).map((entry) => entry.category),
  };
}

// Derivation of a patient's current state from its triages.
import type { ConfirmationStatus } from './confirmation.js';
import type { PatientCategory, Stage, TriageCategory } from './vocabulary.js';

export type AgeGroup = 'adult' | 'child';

/** The part of a patient record that triages change. Times are RFC 3339 strings in UTC. */
export interface PatientClinicalState {
  readonly ageGroup: AgeGroup | undefined;
  readonly currentCategory: PatientCategory;
  readonly currentStage: Stage | undefined;
  readonly latestTriageId: string | undefined;
  readonly latestCapturedAt: string | undefined;
  readonly latestConfirmation: ConfirmationStatus | undefined;
  readonly firstCapturedAt: string | undefined;
  readonly triageCount: number;
}

/** The fields of an incoming triage that decide the patient's state. */
export interface IncomingTriage {
  readonly triageId: string;
  readonly capturedAt: string;
  readonly stage: Stage;
  readonly category: TriageCategory;
  readonly ageGroup: AgeGroup | undefined;
  readonly supersedes: string | undefined;
  readonly confirmation: ConfirmationStatus;
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

/** State of a patient whose card was registered but who has no triage yet. */
export function untriagedState(
  ageGroup: AgeGroup | undefined,
  stage: Stage | undefined,
): PatientClinicalState {
  return {
    ageGroup,
    currentCategory: 'untriaged',
    currentStage: stage,
    latestTriageId: undefined,
    latestCapturedAt: undefined,
    latestConfirmation: undefined,
    firstCapturedAt: undefined,
    triageCount: 0,
  };
}

/**
 * Tells whether an incoming triage replaces the current one. Capture time decides, not upload order, so a
 * late upload of an older triage never overwrites a newer state. A correction of the current triage replaces
 * it whatever its capture time. Equal capture times are ordered by triage id so every writer decides alike.
 */
export function replacesCurrent(state: PatientClinicalState, triage: IncomingTriage): boolean {
  if (state.latestTriageId === undefined || state.latestCapturedAt === undefined) return true;
  if (triage.supersedes !== undefined && triage.supersedes === state.latestTriageId) return true;
  const incoming = Date.parse(triage.capturedAt);
  const current = Date.parse(state.latestCapturedAt);
  if (incoming !== current) return incoming > current;
  return triage.triageId > state.latestTriageId;
}

/**
 * Applies one triage to a patient's state. The first triage that names an age group sets it, and a later
 * triage that names another one is rejected: the age group selects the adult or child algorithm, and only an
 * explicit correction may change it.
 */
export function applyTriage(state: PatientClinicalState, triage: IncomingTriage): TriageApplication {
  if (triage.ageGroup !== undefined && state.ageGroup !== undefined && triage.ageGroup !== state.ageGroup) {
    return { ok: false, problem: 'age-group-fixed', fixed: state.ageGroup, received: triage.ageGroup };
  }

  const becameCurrent = replacesCurrent(state, triage);
  const firstCapturedAt =
    state.firstCapturedAt === undefined || Date.parse(triage.capturedAt) < Date.parse(state.firstCapturedAt)
      ? triage.capturedAt
      : state.firstCapturedAt;
  const common = {
    ageGroup: state.ageGroup ?? triage.ageGroup,
    firstCapturedAt,
    triageCount: state.triageCount + 1,
  };
  if (!becameCurrent) return { ok: true, becameCurrent, state: { ...state, ...common } };

  return {
    ok: true,
    becameCurrent,
    state: {
      ...common,
      currentCategory: triage.category,
      currentStage: triage.stage,
      latestTriageId: triage.triageId,
      latestCapturedAt: triage.capturedAt,
      latestConfirmation: triage.confirmation,
    },
  };
}

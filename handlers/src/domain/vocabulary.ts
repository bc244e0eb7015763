// Clinical vocabulary of the contract: triage categories, treatment stages, disaster modes and statuses.

/** Triage categories a triage can carry (German SK I–IV, dead and uninjured). */
export const TRIAGE_CATEGORIES = ['red', 'yellow', 'green', 'blue', 'dead', 'white'] as const;
export type TriageCategory = (typeof TRIAGE_CATEGORIES)[number];

/** A patient's current category: a triage category, or `untriaged` while a card has no triage yet. */
export type PatientCategory = TriageCategory | 'untriaged';

/** Places where a triage happens, in the order a patient usually passes them. */
export const STAGES = ['incident', 'collection-point', 'treatment-area', 'transport', 'hospital'] as const;
export type Stage = (typeof STAGES)[number];

/** Categories that a physician must confirm before they count as final. */
export const CATEGORIES_NEEDING_CONFIRMATION: ReadonlySet<TriageCategory> = new Set(['blue', 'dead']);

export type DisasterMode = 'real' | 'drill' | 'test';
export type DisasterStatus = 'active' | 'closed';

export const PATIENT_STATUSES = ['in-care', 'transported', 'released', 'deceased'] as const;
export type PatientStatus = (typeof PATIENT_STATUSES)[number];

export const PATIENT_CATEGORIES = [...TRIAGE_CATEGORIES, 'untriaged'] as const;

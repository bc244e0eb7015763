// The patient rows of one disaster: built from REST reads, updated by live events, counted, filtered and sorted.
// Every function is pure and returns new objects, so React detects each change.
import type { Schemas } from '@katapp/client';
import {
  type Category,
  categoryRank,
  PATIENT_CATEGORIES,
  type PatientCategory,
  type PatientStatus,
  STAGES,
  type Stage,
} from './vocabulary.js';

type MapPatient = Schemas['MapPatient'];
type Patient = Schemas['Patient'];
type Triage = Schemas['Triage'];
export type Position = Schemas['Position'];

/** The latest state of one patient as the map and the table show it. */
export interface PatientRow {
  id: string;
  cardCode: string;
  ageGroup: Schemas['AgeGroup'];
  status: PatientStatus;
  category: PatientCategory;
  stage: Stage | null;
  /** Id of the current triage, `null` before the first. */
  triageId: string | null;
  /** Capture time of the current triage (RFC 3339), `null` before the first. */
  capturedAt: string | null;
  position: Position | null;
  pendingConfirmation: boolean;
  transportPriority: 'a' | 'b' | null;
  /** Categories of the latest triages, oldest first (at most 20, as the API keeps them). */
  trend: Category[];
  /** `null` while only the overview (which has no count) was read. */
  triageCount: number | null;
  /** Server time of the patient's last change; `null` when the row came from the overview or a triage event. */
  updatedAt: string | null;
}

/** The API keeps the categories of the latest 20 triages in `categoryTrend`. */
export const TREND_LENGTH = 20;

/** A triage under 15 minutes old gets the alert mark in the table. */
export const RECENT_TRIAGE_MS = 15 * 60 * 1000;

export function rowFromMapPatient(patient: MapPatient): PatientRow {
  return {
    id: patient.patientId,
    cardCode: patient.cardCode,
    ageGroup: patient.ageGroup,
    status: patient.status,
    category: patient.category,
    stage: patient.stage,
    triageId: patient.triageId,
    capturedAt: patient.capturedAt,
    position: patient.position,
    pendingConfirmation: patient.pendingConfirmation,
    transportPriority: patient.transportPriority,
    trend: patient.category === 'untriaged' ? [] : [patient.category],
    triageCount: null,
    updatedAt: null,
  };
}

export function rowFromPatient(patient: Patient): PatientRow {
  return {
    id: patient.id,
    cardCode: patient.cardCode,
    ageGroup: patient.ageGroup,
    status: patient.status,
    category: patient.currentCategory,
    stage: patient.currentStage,
    triageId: patient.currentTriageId,
    capturedAt: patient.lastTriagedAt,
    position: patient.position ?? null,
    pendingConfirmation: patient.pendingConfirmation,
    transportPriority: patient.transportPriority ?? null,
    trend: [...patient.categoryTrend],
    triageCount: patient.triageCount,
    updatedAt: patient.updatedAt,
  };
}

/** Compares two optional RFC 3339 times; `null` is older than any time. */
function isAfter(first: string | null, second: string | null): boolean {
  if (first === null) return false;
  if (second === null) return true;
  return Date.parse(first) > Date.parse(second);
}

/**
 * Builds the rows from the two initial reads: the overview lists every patient, the patient list adds the
 * trend and triage count. A patient found in both comes from the patient list.
 */
export function buildRows(
  overview: readonly MapPatient[],
  patients: readonly Patient[],
): Map<string, PatientRow> {
  const rows = new Map<string, PatientRow>();
  for (const patient of overview) rows.set(patient.patientId, rowFromMapPatient(patient));
  for (const patient of patients) rows.set(patient.id, rowFromPatient(patient));
  return rows;
}

/**
 * Applies a `patient.changed` event. An event older than the row (by `updatedAt`) is ignored. When a
 * `triage.created` event already moved the row to a triage newer than the patient's `lastTriagedAt`, the row keeps
 * that triage's category, stage and position.
 */
export function applyPatientChanged(
  rows: ReadonlyMap<string, PatientRow>,
  patient: Patient,
): ReadonlyMap<string, PatientRow> {
  const existing = rows.get(patient.id);
  if (existing?.updatedAt && isAfter(existing.updatedAt, patient.updatedAt)) return rows;

  let next = rowFromPatient(patient);
  if (existing && isAfter(existing.capturedAt, next.capturedAt)) {
    next = {
      ...next,
      category: existing.category,
      stage: existing.stage,
      triageId: existing.triageId,
      capturedAt: existing.capturedAt,
      position: existing.position,
      pendingConfirmation: existing.pendingConfirmation,
      transportPriority: existing.transportPriority,
    };
  }
  const updated = new Map(rows);
  updated.set(next.id, next);
  return updated;
}

/**
 * Applies a `triage.created` event (sent for new triages and for status changes of stored ones). A triage
 * newer than the row's current one becomes current; an older one (a late upload) only counts. The
 * `patient.changed` event of the same write then brings the authoritative trend.
 */
export function applyTriageCreated(
  rows: ReadonlyMap<string, PatientRow>,
  triage: Triage,
): ReadonlyMap<string, PatientRow> {
  const existing = rows.get(triage.patientId);
  const pending = triage.status === 'pending-confirmation';
  const updated = new Map(rows);

  if (!existing) {
    updated.set(triage.patientId, {
      id: triage.patientId,
      cardCode: triage.cardCode,
      ageGroup: triage.ageGroup,
      status: 'in-care',
      category: triage.category,
      stage: triage.stage,
      triageId: triage.id,
      capturedAt: triage.capturedAt,
      position: triage.position ?? null,
      pendingConfirmation: pending,
      transportPriority: triage.transportPriority ?? null,
      trend: [triage.category],
      triageCount: 1,
      updatedAt: null,
    });
    return updated;
  }

  if (existing.triageId === triage.id) {
    // A status change of the current triage, such as a physician's confirmation.
    if (existing.pendingConfirmation === pending) return rows;
    updated.set(existing.id, { ...existing, pendingConfirmation: pending });
    return updated;
  }
  if (triage.supersededBy !== null) return rows;

  const triageCount = existing.triageCount === null ? null : existing.triageCount + 1;
  if (!isAfter(triage.capturedAt, existing.capturedAt)) {
    updated.set(existing.id, { ...existing, triageCount });
    return updated;
  }
  updated.set(existing.id, {
    ...existing,
    category: triage.category,
    stage: triage.stage,
    triageId: triage.id,
    capturedAt: triage.capturedAt,
    position: triage.position ?? existing.position,
    pendingConfirmation: pending,
    transportPriority: triage.transportPriority ?? null,
    trend: [...existing.trend, triage.category].slice(-TREND_LENGTH),
    triageCount,
  });
  return updated;
}

export type CategoryCounts = Record<PatientCategory, number>;

/** The numbers of the overview panel, computed from the rows so they always match the map and the table. */
export interface PatientCounts {
  total: number;
  released: number;
  byCategory: CategoryCounts;
  /** Patients by current stage and category; untriaged patients have no stage and are not in here. */
  byStage: Record<Stage, CategoryCounts>;
  stageTotals: Record<Stage, number>;
}

function emptyCategoryCounts(): CategoryCounts {
  return Object.fromEntries(PATIENT_CATEGORIES.map((category) => [category, 0])) as CategoryCounts;
}

export function countPatients(rows: Iterable<PatientRow>): PatientCounts {
  const byStage = Object.fromEntries(STAGES.map((stage) => [stage, emptyCategoryCounts()])) as Record<
    Stage,
    CategoryCounts
  >;
  const stageTotals = Object.fromEntries(STAGES.map((stage) => [stage, 0])) as Record<Stage, number>;
  const counts: PatientCounts = {
    total: 0,
    released: 0,
    byCategory: emptyCategoryCounts(),
    byStage,
    stageTotals,
  };
  for (const row of rows) {
    counts.total += 1;
    if (row.status === 'released') counts.released += 1;
    counts.byCategory[row.category] += 1;
    if (row.stage !== null) {
      byStage[row.stage][row.category] += 1;
      stageTotals[row.stage] += 1;
    }
  }
  return counts;
}

/** Filters of the patient table; an empty category list shows every category. */
export interface PatientFilter {
  categories: PatientCategory[];
  stage: Stage | 'all';
  status: PatientStatus | 'all';
}

export const NO_FILTER: PatientFilter = { categories: [], stage: 'all', status: 'all' };

export type SortKey = 'lastTriagedAt' | 'category' | 'cardCode' | 'stage';

export interface PatientSort {
  key: SortKey;
  direction: 'ascending' | 'descending';
}

/** Newest triage first, like the API's default order. */
export const DEFAULT_SORT: PatientSort = { key: 'lastTriagedAt', direction: 'descending' };

/** Parsed capture times: a sort compares each row many times, and Date.parse dominated sorting 2,000 rows. */
const parsedTimes = new Map<string, number>();

function timeValue(time: string | null): number {
  if (time === null) return 0;
  let value = parsedTimes.get(time);
  if (value === undefined) {
    if (parsedTimes.size >= 50_000) parsedTimes.clear();
    value = Date.parse(time);
    parsedTimes.set(time, value);
  }
  return value;
}

function compareTimes(first: string | null, second: string | null): number {
  return timeValue(first) - timeValue(second);
}

/** One collator for all card code comparisons; localeCompare with options builds a new one per call. */
const cardCodeOrder = new Intl.Collator('en', { numeric: true });

function compareRows(key: SortKey, first: PatientRow, second: PatientRow): number {
  switch (key) {
    case 'lastTriagedAt':
      return compareTimes(first.capturedAt, second.capturedAt);
    case 'category':
      return categoryRank(first.category) - categoryRank(second.category);
    case 'cardCode':
      return cardCodeOrder.compare(first.cardCode, second.cardCode);
    case 'stage':
      return (
        (first.stage === null ? -1 : STAGES.indexOf(first.stage)) -
        (second.stage === null ? -1 : STAGES.indexOf(second.stage))
      );
  }
}

/** Returns the rows that pass the filter in the requested order; ties fall back to the card code. */
export function filterAndSort(
  rows: Iterable<PatientRow>,
  filter: PatientFilter,
  sort: PatientSort,
): PatientRow[] {
  const categories = new Set(filter.categories);
  const selected = [...rows].filter(
    (row) =>
      (categories.size === 0 || categories.has(row.category)) &&
      (filter.stage === 'all' || row.stage === filter.stage) &&
      (filter.status === 'all' || row.status === filter.status),
  );
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return selected.sort(
    (first, second) => sign * compareRows(sort.key, first, second) || compareRows('cardCode', first, second),
  );
}

/** Tells whether the current triage is under 15 minutes old at `nowMs` (the server's clock, in epoch milliseconds). */
export function isRecentTriage(row: PatientRow, nowMs: number): boolean {
  if (row.capturedAt === null) return false;
  return nowMs - Date.parse(row.capturedAt) < RECENT_TRIAGE_MS;
}

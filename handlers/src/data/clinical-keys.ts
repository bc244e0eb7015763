/**
 * Keys of the clinical items in the Data table. Every key starts with the tenant prefix `T#<tenantId>#`.
 *
 * A disaster's partition contains its record, its overview counters, one latest-capture-time item per stage
 * (sort key `#STAGE#<stage>`) and one item per patient (sort key
 * `PATIENT#<cardCode>`, so the partition lists patients by card code), which makes the overview one Query.
 * Each triage has its own partition; its content never changes after the upload.
 */
import { tenantPartition } from './table.js';

export const SORT_KEY = {
  disaster: '#DISASTER',
  overview: '#OVERVIEW',
  stageTimePrefix: '#STAGE#',
  patientPrefix: 'PATIENT#',
  patientPointer: '#PATIENT',
  card: '#CARD',
  triage: '#TRIAGE',
} as const;

/** Partition of a disaster: its record, overview counters and patients. */
export function disasterPartition(tenantId: string, disasterId: string): string {
  return tenantPartition(tenantId, 'D', disasterId);
}

export function disasterKey(tenantId: string, disasterId: string) {
  return { pk: disasterPartition(tenantId, disasterId), sk: SORT_KEY.disaster };
}

export function overviewKey(tenantId: string, disasterId: string) {
  return { pk: disasterPartition(tenantId, disasterId), sk: SORT_KEY.overview };
}

/** Returns the key of the item that keeps the capture time of a stage's latest triage. */
export function stageTimeKey(tenantId: string, disasterId: string, stage: string) {
  return { pk: disasterPartition(tenantId, disasterId), sk: `${SORT_KEY.stageTimePrefix}${stage}` };
}

export function patientKey(tenantId: string, disasterId: string, cardCode: string) {
  return { pk: disasterPartition(tenantId, disasterId), sk: `${SORT_KEY.patientPrefix}${cardCode}` };
}

/** Pointer from a patient id to the disaster and card code that locate the patient item. */
export function patientPointerKey(tenantId: string, patientId: string) {
  return { pk: tenantPartition(tenantId, 'PATIENT', patientId), sk: SORT_KEY.patientPointer };
}

/** Card registration: the conditional put on this key keeps a card code unique within the tenant. */
export function cardKey(tenantId: string, cardCode: string) {
  return { pk: tenantPartition(tenantId, 'CARD', cardCode), sk: SORT_KEY.card };
}

export function triageKey(tenantId: string, triageId: string) {
  return { pk: tenantPartition(tenantId, 'TRIAGE', triageId), sk: SORT_KEY.triage };
}

/** Partition keys of the index entries. */
export const INDEX = {
  /** gsi1: a tenant's disasters by start time. */
  disastersByStart: (tenantId: string) => tenantPartition(tenantId, 'DISASTERS'),
  /** gsi1: a disaster's patients by the capture time of their current triage. */
  patientsByLastTriage: (tenantId: string, disasterId: string) =>
    tenantPartition(tenantId, 'D', disasterId, 'PATIENTS-BY-TIME'),
  /** gsi2: a disaster's patients by category urgency, then newest triage first. */
  patientsByCategory: (tenantId: string, disasterId: string) =>
    tenantPartition(tenantId, 'D', disasterId, 'PATIENTS-BY-CATEGORY'),
  /** gsi1: a patient's triages by capture time. */
  triagesOfPatient: (tenantId: string, patientId: string) =>
    tenantPartition(tenantId, 'PATIENT', patientId, 'TRIAGES'),
  /** gsi2: a disaster's triages by server receive time, for incremental sync. */
  triagesOfDisaster: (tenantId: string, disasterId: string) =>
    tenantPartition(tenantId, 'D', disasterId, 'TRIAGES'),
} as const;

/** Sort key of an index entry: a time followed by an id, so equal times still sort deterministically. */
export function timeOrderedKey(time: string, id: string): string {
  return `${time}#${id}`;
}

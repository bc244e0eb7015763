/**
 * Patient records. Access patterns:
 * - a patient by card code: GetItem card `T#<t>#CARD#<code>` → patient item
 * - a patient by id: GetItem pointer `T#<t>#PATIENT#<id>` → patient item
 * - a disaster's patients by card code: Query pk `T#<t>#D#<disasterId>`, sk begins_with `PATIENT#`
 * - by newest triage: Query gsi1 `T#<t>#D#<disasterId>#PATIENTS-BY-TIME`, descending
 * - by category urgency: Query gsi2 `T#<t>#D#<disasterId>#PATIENTS-BY-CATEGORY`, ascending
 *
 * The patient item stores the clinical state (the non-superseded triage history) and, next to it, the fields
 * derived from that state, so list filters and the overview read them without recomputing.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { components } from '../../../generated/types/openapi.js';
import { derive, type HistoryEntry, type PatientClinicalState } from '../domain/patient-state.js';
import type { PatientCategory, PatientStatus, Stage } from '../domain/vocabulary.js';
import { PATIENT_CATEGORIES } from '../domain/vocabulary.js';
import { putNew, type TransactWriteItem, toRecord } from './clinical-items.js';
import { cardKey, INDEX, patientKey, patientPointerKey, SORT_KEY, timeOrderedKey } from './clinical-keys.js';
import { type Page, queryFiltered } from './filtered-query.js';
import { dataTableName, documentClient } from './table.js';

type Schemas = components['schemas'];
export type Identity = Schemas['Identity'];
export type Measures = Schemas['Measures'];
export type AgeRange = Schemas['AgeRange'];
export type Gender = Schemas['Gender'];

/** Capture times of the triages that last set a profile field, so an older late upload never overwrites it. */
export interface ProfileTimes {
  ageRange?: string;
  gender?: string;
  identity?: string;
}

export interface PatientRecord extends PatientClinicalState {
  id: string;
  tenantId: string;
  disasterId: string;
  cardCode: string;
  ageRange: AgeRange | null;
  gender: Gender | null;
  identity: Identity | null;
  status: PatientStatus;
  /** Every measure any triage reported; a measure once taken stays recorded. */
  measures: Measures;
  profileTimes: ProfileTimes;
  createdAt: string;
  updatedAt: string;
  /** Retention deadline of the patient's disaster in epoch seconds (DynamoDB TTL). */
  expiresAt: number;
  /** Incremented on every write; writes are conditional on the version they read. */
  version: number;
}

/** Rank of each category in the `category` sort order: most urgent first, untriaged last. */
const CATEGORY_RANK: Record<PatientCategory, number> = Object.fromEntries(
  PATIENT_CATEGORIES.map((category, index) => [category, index]),
) as Record<PatientCategory, number>;

/** Largest epoch millisecond value with 13 digits; newest-first order inside a category subtracts from it. */
const MAX_EPOCH_MS = 9_999_999_999_999;

function patientItem(patient: PatientRecord): Record<string, unknown> {
  const derived = derive(patient);
  const lastTriagedAt = derived.lastTriagedAt;
  const newestFirst = lastTriagedAt === null ? MAX_EPOCH_MS : MAX_EPOCH_MS - Date.parse(lastTriagedAt);
  return {
    ...patientKey(patient.tenantId, patient.disasterId, patient.cardCode),
    gsi1pk: INDEX.patientsByLastTriage(patient.tenantId, patient.disasterId),
    gsi1sk: timeOrderedKey(lastTriagedAt ?? '', patient.id),
    gsi2pk: INDEX.patientsByCategory(patient.tenantId, patient.disasterId),
    gsi2sk: `${CATEGORY_RANK[derived.currentCategory]}#${String(newestFirst).padStart(13, '0')}#${patient.id}`,
    type: 'Patient',
    ...patient,
    ...derived,
  };
}

/** Reads a patient item back into a record, dropping the derived fields (they are recomputed on write). */
export function toPatientRecord(item: Record<string, unknown>): PatientRecord {
  const stored = toRecord<PatientRecord & Record<string, unknown>>(item);
  return {
    id: stored.id,
    tenantId: stored.tenantId,
    disasterId: stored.disasterId,
    cardCode: stored.cardCode,
    ageGroup: stored.ageGroup,
    ageRange: stored.ageRange ?? null,
    gender: stored.gender ?? null,
    identity: stored.identity ?? null,
    status: stored.status,
    history: (stored.history ?? []) as HistoryEntry[],
    triageCount: stored.triageCount ?? 0,
    firstTriagedAt: stored.firstTriagedAt ?? null,
    measures: stored.measures ?? {},
    profileTimes: stored.profileTimes ?? {},
    createdAt: stored.createdAt,
    updatedAt: stored.updatedAt,
    expiresAt: stored.expiresAt,
    version: typeof item.version === 'number' ? item.version : 0,
  };
}

/**
 * Returns the writes that store a patient: a new patient also claims its card code and gets its id pointer;
 * an existing one is replaced only if no other write changed it since it was read (`expectedVersion`).
 */
export function putPatientItems(patient: PatientRecord, expectedVersion: number | null): TransactWriteItem[] {
  const item = { ...patientItem(patient), version: (expectedVersion ?? 0) + 1 };
  if (expectedVersion === null) {
    return [
      putNew(item),
      putNew({
        ...cardKey(patient.tenantId, patient.cardCode),
        type: 'PatientCard',
        tenantId: patient.tenantId,
        patientId: patient.id,
        disasterId: patient.disasterId,
        expiresAt: patient.expiresAt,
      }),
      putNew({
        ...patientPointerKey(patient.tenantId, patient.id),
        type: 'PatientPointer',
        tenantId: patient.tenantId,
        disasterId: patient.disasterId,
        cardCode: patient.cardCode,
        expiresAt: patient.expiresAt,
      }),
    ];
  }
  return [
    {
      Put: {
        TableName: dataTableName(),
        Item: item,
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': expectedVersion },
      },
    },
  ];
}

/** Registration of a card code: its patient and that patient's disaster. */
export interface CardRegistration {
  patientId: string;
  disasterId: string;
}

export async function getCardRegistration(
  tenantId: string,
  cardCode: string,
): Promise<CardRegistration | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({ TableName: dataTableName(), Key: cardKey(tenantId, cardCode), ConsistentRead: true }),
  );
  return Item === undefined ? undefined : { patientId: Item.patientId, disasterId: Item.disasterId };
}

export async function getPatientInDisaster(
  tenantId: string,
  disasterId: string,
  cardCode: string,
): Promise<PatientRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: dataTableName(),
      Key: patientKey(tenantId, disasterId, cardCode),
      ConsistentRead: true,
    }),
  );
  return Item === undefined ? undefined : toPatientRecord(Item);
}

/** Returns the patient with this card code in any disaster of the tenant. */
export async function getPatientByCardCode(
  tenantId: string,
  cardCode: string,
): Promise<PatientRecord | undefined> {
  const card = await getCardRegistration(tenantId, cardCode);
  return card === undefined ? undefined : getPatientInDisaster(tenantId, card.disasterId, cardCode);
}

/** Returns the patient with this id in the tenant. */
export async function getPatientById(
  tenantId: string,
  patientId: string,
): Promise<PatientRecord | undefined> {
  const { Item } = await documentClient().send(
    new GetCommand({
      TableName: dataTableName(),
      Key: patientPointerKey(tenantId, patientId),
      ConsistentRead: true,
    }),
  );
  if (Item === undefined) return undefined;
  return getPatientInDisaster(tenantId, Item.disasterId, Item.cardCode);
}

export type PatientSort = 'lastTriagedAt' | 'category' | 'cardCode';

export interface PatientFilter {
  categories?: readonly PatientCategory[];
  stage?: Stage;
  status?: PatientStatus;
  /** Inclusive lower bound of `updatedAt`, UTC with milliseconds. */
  updatedSince?: string;
}

/** Lists a disaster's patients in one of the three orders, with optional filters. */
export async function listPatients(
  tenantId: string,
  disasterId: string,
  filter: PatientFilter,
  sort: PatientSort,
  limit: number,
  cursor: string | undefined,
): Promise<Page<PatientRecord>> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const filters: string[] = [];
  if (filter.categories !== undefined && filter.categories.length > 0) {
    const placeholders = filter.categories.map((category, index) => {
      values[`:category${index}`] = category;
      return `:category${index}`;
    });
    filters.push(`currentCategory IN (${placeholders.join(', ')})`);
  }
  if (filter.stage !== undefined) {
    filters.push('currentStage = :stage');
    values[':stage'] = filter.stage;
  }
  if (filter.status !== undefined) {
    filters.push('#status = :status');
    names['#status'] = 'status';
    values[':status'] = filter.status;
  }
  if (filter.updatedSince !== undefined) {
    filters.push('updatedAt >= :updatedSince');
    values[':updatedSince'] = filter.updatedSince;
  }
  const filterPart =
    filters.length === 0
      ? {}
      : {
          FilterExpression: filters.join(' AND '),
          ...(Object.keys(names).length === 0 ? {} : { ExpressionAttributeNames: names }),
        };

  if (sort === 'cardCode') {
    const partition = patientKey(tenantId, disasterId, '').pk;
    return queryFiltered({
      input: {
        TableName: dataTableName(),
        KeyConditionExpression: 'pk = :partition AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ...values, ':partition': partition, ':prefix': SORT_KEY.patientPrefix },
        ...filterPart,
      },
      keyAttributes: ['pk', 'sk'],
      partition,
      partitionAttribute: 'pk',
      sortKeyCheck: { attribute: 'sk', prefix: SORT_KEY.patientPrefix },
      limit,
      cursor,
      select: toPatientRecord,
    });
  }

  const byTime = sort === 'lastTriagedAt';
  const index = byTime ? 'gsi1' : 'gsi2';
  const partition = byTime
    ? INDEX.patientsByLastTriage(tenantId, disasterId)
    : INDEX.patientsByCategory(tenantId, disasterId);
  return queryFiltered({
    input: {
      TableName: dataTableName(),
      IndexName: index,
      KeyConditionExpression: `${index}pk = :partition`,
      ExpressionAttributeValues: { ...values, ':partition': partition },
      ScanIndexForward: !byTime,
      ...filterPart,
    },
    keyAttributes: ['pk', 'sk', `${index}pk`, `${index}sk`],
    partition,
    partitionAttribute: `${index}pk`,
    limit,
    cursor,
    select: toPatientRecord,
  });
}

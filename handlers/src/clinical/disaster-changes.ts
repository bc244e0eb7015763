/** Opening, listing, closing and purging disasters. */
import { randomUUID } from 'node:crypto';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { components } from '../../../generated/types/openapi.js';
import { auditPut, recordAudit } from '../audit/index.js';
import { caller, type RequestContext } from '../context.js';
import { batchDelete, transactWrite, utcTime } from '../data/clinical-items.js';
import {
  cardKey,
  disasterKey,
  INDEX,
  overviewKey,
  patientKey,
  patientPointerKey,
  stageTimeKey,
  timeOrderedKey,
} from '../data/clinical-keys.js';
import {
  closeDisasterItem,
  createDisasterItems,
  type DisasterRecord,
  getDisaster,
  listDisasters as readDisasters,
} from '../data/disasters.js';
import type { Page } from '../data/filtered-query.js';
import { readDisasterPartition } from '../data/overview.js';
import { deletePhotoObjects, photoObjectKey, photoStorage } from '../data/photos.js';
import {
  dataTableName,
  decodeCursor,
  documentClient,
  encodeCursor,
  transactionCancellationCodes,
} from '../data/table.js';
import { MAX_CAPTURE_AHEAD_MS } from '../domain/capture-time.js';
import { distanceKm, type Position } from '../domain/geo.js';
import { type DisasterMode, type DisasterStatus, STAGES } from '../domain/vocabulary.js';
import { DisasterClosedError, DisasterNotPurgeableError, RequestValidationError } from '../errors.js';
import { requireDisaster } from './lookups.js';
import { disasterExpiry } from './retention.js';

type Schemas = components['schemas'];
export type DisasterOpening = Schemas['DisasterWrite'];

/** Opens a disaster; its start may lie at most 5 minutes after the server time, like a capture time. */
export async function createDisaster(
  context: RequestContext,
  body: DisasterOpening,
): Promise<DisasterRecord> {
  const { tenantId, principal } = caller(context);
  const now = context.clock.now();
  const startedAt = utcTime(body.startedAt);
  if (Date.parse(startedAt) > now.getTime() + MAX_CAPTURE_AHEAD_MS) {
    throw new RequestValidationError(
      `startedAt ${startedAt} is more than 5 minutes after the server time ${now.toISOString()}; check the device clock.`,
      [{ pointer: '/body/startedAt', message: 'must not be more than 5 minutes after the server time' }],
    );
  }
  const disaster: DisasterRecord = {
    id: randomUUID(),
    tenantId,
    name: body.name,
    description: body.description ?? null,
    mode: body.mode,
    status: 'active',
    position: body.position,
    radiusKm: body.radiusKm,
    startedAt,
    closedAt: null,
    createdAt: now.toISOString(),
    createdBy: principal.id,
    expiresAt: await disasterExpiry(tenantId, body.mode, startedAt),
  };
  await transactWrite([
    ...createDisasterItems(disaster),
    await auditPut(context, {
      action: 'create',
      entityType: 'disaster',
      entityId: disaster.id,
      disasterId: disaster.id,
    }),
  ]);
  return disaster;
}

export interface DisasterQuery {
  startedAfter?: string;
  startedBefore?: string;
  near?: Position;
  radiusKm: number;
  status?: DisasterStatus;
  mode?: DisasterMode;
  limit: number;
  cursor?: string;
}

/** Most disasters a `near` listing ranks; a tenant records a few disasters per year, so all fit. */
const MAX_RANKED_DISASTERS = 2000;

/**
 * Lists disasters newest start first, or with `near` nearest first within `radiusKm`. Ranking by distance needs
 * every candidate, so a `near` listing reads all disasters that pass the other filters (bounded by
 * MAX_RANKED_DISASTERS) and its cursor names the last disaster of the previous page.
 */
export async function listDisasters(tenantId: string, query: DisasterQuery): Promise<Page<DisasterRecord>> {
  const filter = {
    ...(query.startedAfter === undefined ? {} : { startedAfter: utcTime(query.startedAfter) }),
    // The contract's upper bound is exclusive: step back one millisecond and use the inclusive index bound.
    ...(query.startedBefore === undefined
      ? {}
      : { startedBefore: new Date(Date.parse(query.startedBefore) - 1).toISOString() }),
    ...(query.status === undefined ? {} : { status: query.status }),
    ...(query.mode === undefined ? {} : { mode: query.mode }),
  };
  const near = query.near;
  if (near === undefined) return readDisasters(tenantId, filter, query.limit, query.cursor);

  const partition = INDEX.disastersByStart(tenantId);
  const after = decodeCursor(query.cursor, partition, 'gsi1pk');
  const all = await readDisasters(
    tenantId,
    { ...filter, accept: (disaster) => distanceKm(near, disaster.position) <= query.radiusKm },
    MAX_RANKED_DISASTERS,
    undefined,
  );
  const ranked = all.items
    .map((disaster) => ({ disaster, distance: distanceKm(near, disaster.position) }))
    .sort((a, b) => a.distance - b.distance || (a.disaster.id < b.disaster.id ? -1 : 1));
  let start = 0;
  if (after !== undefined) {
    const index = ranked.findIndex((entry) => disasterKey(tenantId, entry.disaster.id).pk === after.pk);
    if (index === -1) {
      throw new RequestValidationError(
        'The cursor names a disaster this listing no longer contains; omit it to start over.',
        [{ pointer: '/query/cursor', message: 'must be a nextCursor returned by this listing' }],
      );
    }
    start = index + 1;
  }
  const page = ranked.slice(start, start + query.limit).map((entry) => entry.disaster);
  const last = page.at(-1);
  const more = start + query.limit < ranked.length;
  return {
    items: page,
    nextCursor:
      more && last !== undefined
        ? encodeCursor({
            ...disasterKey(tenantId, last.id),
            gsi1pk: partition,
            gsi1sk: timeOrderedKey(last.startedAt, last.id),
          })
        : null,
  };
}

/** Closes an active disaster; from then on triage uploads and patient changes are rejected. */
export async function closeDisaster(context: RequestContext, disasterId: string): Promise<DisasterRecord> {
  const { tenantId } = caller(context);
  const disaster = await requireDisaster(tenantId, disasterId);
  const closedError = (closedAt: string | null) =>
    new DisasterClosedError(`Disaster ${disasterId} was already closed at ${closedAt ?? 'an unknown time'}.`);
  if (disaster.status === 'closed') throw closedError(disaster.closedAt);

  const closedAt = context.clock.now().toISOString();
  try {
    await transactWrite([
      closeDisasterItem(disaster, closedAt),
      await auditPut(context, {
        action: 'update',
        entityType: 'disaster',
        entityId: disasterId,
        disasterId,
        details: { changedFields: ['status', 'closedAt'] },
      }),
    ]);
  } catch (error) {
    if (transactionCancellationCodes(error)?.[0] === 'ConditionalCheckFailed') {
      const current = await getDisaster(tenantId, disasterId);
      throw closedError(current?.closedAt ?? null);
    }
    throw error;
  }
  return { ...disaster, status: 'closed', closedAt };
}

/** Reads the keys and declared photo hashes of every triage of a disaster. */
async function disasterTriageKeys(
  tenantId: string,
  disasterId: string,
): Promise<{ keys: Record<string, unknown>[]; photoHashes: Set<string> }> {
  const keys: Record<string, unknown>[] = [];
  const photoHashes = new Set<string>();
  let exclusiveStartKey: Record<string, unknown> | undefined;
  do {
    const page = await documentClient().send(
      new QueryCommand({
        TableName: dataTableName(),
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :partition',
        ExpressionAttributeValues: { ':partition': INDEX.triagesOfDisaster(tenantId, disasterId) },
        ProjectionExpression: 'pk, sk, #content.photos',
        ExpressionAttributeNames: { '#content': 'content' },
        ExclusiveStartKey: exclusiveStartKey,
      }),
    );
    for (const item of page.Items ?? []) {
      keys.push({ pk: item.pk, sk: item.sk });
      for (const hash of (item.content?.photos as string[] | undefined) ?? []) photoHashes.add(hash);
    }
    exclusiveStartKey = page.LastEvaluatedKey;
  } while (exclusiveStartKey !== undefined);
  return { keys, photoHashes };
}

export interface PurgeSummary {
  patients: number;
  triages: number;
  photos: number;
}

/**
 * Deletes a closed drill or test disaster with its patients, card registrations, triages and photo objects.
 * The disaster item goes last, so a purge that fails halfway can simply be repeated.
 */
export async function purgeDisaster(context: RequestContext, disasterId: string): Promise<PurgeSummary> {
  const { tenantId } = caller(context);
  const disaster = await requireDisaster(tenantId, disasterId);
  if (disaster.mode === 'real') {
    throw new DisasterNotPurgeableError(
      `Only closed drill or test disasters can be purged; disaster ${disasterId} has mode real.`,
    );
  }
  if (disaster.status !== 'closed') {
    throw new DisasterNotPurgeableError(
      `Only closed drill or test disasters can be purged; disaster ${disasterId} is still active. Close it first.`,
    );
  }

  const triages = await disasterTriageKeys(tenantId, disasterId);
  const contents = await readDisasterPartition(tenantId, disasterId);
  const patients = contents?.patients ?? [];
  // NOTE: a drill photo whose hash another drill disaster of the tenant also declared is deleted for both.
  const photoKeys = [...triages.photoHashes].map((hash) =>
    photoObjectKey(tenantId, photoStorage(disaster.mode), hash),
  );
  await deletePhotoObjects(photoKeys);

  const table = dataTableName();
  await batchDelete(table, triages.keys);
  await batchDelete(
    table,
    patients.flatMap((patient) => [
      cardKey(tenantId, patient.cardCode),
      patientPointerKey(tenantId, patient.id),
      patientKey(tenantId, disasterId, patient.cardCode),
    ]),
  );
  await batchDelete(table, [
    overviewKey(tenantId, disasterId),
    ...STAGES.map((stage) => stageTimeKey(tenantId, disasterId, stage)),
  ]);
  await batchDelete(table, [disasterKey(tenantId, disasterId)]);

  const summary = { patients: patients.length, triages: triages.keys.length, photos: photoKeys.length };
  await recordAudit(context, {
    action: 'purge',
    entityType: 'disaster',
    entityId: disasterId,
    disasterId,
    details: { resultCount: summary.patients + summary.triages },
  });
  return summary;
}

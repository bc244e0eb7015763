/**
 * Triage upload: the read-decide-write cycle that stores a triage, creates or updates its patient and moves
 * the disaster's overview counters, all in one TransactWriteItems. Every domain rule of an upload is checked
 * here, on data read in the same attempt. A concurrent writer cancels the transaction, and the attempt reruns.
 */
import type { components } from '../../../generated/types/openapi.js';
import { auditPut } from '../audit/index.js';
import { caller, hasRight, type Principal, type RequestContext } from '../context.js';
import { keyId, readItems, toRecord, transactWrite, utcTime } from '../data/clinical-items.js';
import {
  cardKey,
  disasterKey,
  overviewKey,
  patientKey,
  stageTimeKey,
  triageKey,
} from '../data/clinical-keys.js';
import { type DisasterRecord, disasterActiveCheck } from '../data/disasters.js';
import { withOptimisticRetry } from '../data/optimistic-retry.js';
import { moveStageTime, overviewRecord, overviewUpdateItem } from '../data/overview.js';
import { type PatientRecord, putPatientItems, toPatientRecord } from '../data/patients.js';
import {
  putTriageItem,
  supersedeTriageItem,
  type TriageFlag,
  type TriageRecord,
  toTriageRecord,
} from '../data/triages.js';
import { checkCaptureTime, MAX_CAPTURE_AHEAD_MS } from '../domain/capture-time.js';
import { initialTriageStatus, needsConfirmation } from '../domain/confirmation.js';
import { contentHash } from '../domain/content-hash.js';
import { checkDeviceRevocation } from '../domain/device-revocation.js';
import { COUNTER, counterChanges } from '../domain/overview-counters.js';
import { applyTriage, type HistoryEntry } from '../domain/patient-state.js';
import {
  AuthForbiddenError,
  DeviceRevokedError,
  PatientAgeGroupFixedError,
  PatientCardCodeTakenError,
  RequestValidationError,
  TriageCaptureTimeImplausibleError,
  TriageIdempotencyConflictError,
  TriageSupersedesInvalidError,
} from '../errors.js';
import { disasterNotFound, ensureActive } from './lookups.js';
import {
  countedPatient,
  countedTriage,
  mergeMeasures,
  mergeProfile,
  newPatientRecord,
} from './patient-updates.js';

export type TriageUpload = components['schemas']['TriageWrite'];

export interface UploadResult {
  /** False when the same content was uploaded before under this id. */
  created: boolean;
  triage: TriageRecord;
}

/** Fields the server sets; a client that echoes them back still uploads the same content. */
const SERVER_SET_FIELDS = new Set([
  'id',
  'patientId',
  'receivedAt',
  'deviceId',
  'userId',
  'supersededBy',
  'status',
  'confirmedBy',
  'confirmedAt',
  'flags',
]);

/**
 * Returns the content an upload is compared by: the writable fields without `null` members, because null and
 * absent mean the same for every optional field. The capture time is converted to UTC, so `+02:00` and `Z`
 * spellings of one instant are the same content.
 */
export function uploadContent(body: TriageUpload): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(body)) {
    if (value === null || value === undefined || SERVER_SET_FIELDS.has(name)) continue;
    content[name] = value;
  }
  content.capturedAt = utcTime(body.capturedAt);
  return content;
}

/** Checks the cross-field rules the JSON schema cannot express. */
function checkConsistency(context: RequestContext, body: TriageUpload): void {
  const errors = [];
  if (body.ageRange !== undefined && !body.ageRange.startsWith(`${body.ageGroup}-`)) {
    errors.push({ pointer: '/body/ageRange', message: `must be a ${body.ageGroup} age range` });
  }
  if (body.criteria !== undefined && body.criteria.ageGroup !== body.ageGroup) {
    errors.push({ pointer: '/body/criteria/ageGroup', message: `must equal ageGroup (${body.ageGroup})` });
  }
  if (errors.length > 0) {
    throw new RequestValidationError(
      `The triage is inconsistent: ${errors.map((error) => `${error.pointer} ${error.message}`).join('; ')}.`,
      errors,
    );
  }
  if (body.identity !== undefined && !hasRight(context, 'ActionViewPatientIdentity')) {
    throw new AuthForbiddenError(
      'Sending identity needs the right ActionViewPatientIdentity; upload the triage without identity.',
    );
  }
}

function describeMinutes(milliseconds: number): string {
  const minutes = Math.round(milliseconds / 60_000);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

/** Result of the checks before a write: the disaster with its counters and the flags of the new triage. */
interface WritableDisaster {
  disaster: DisasterRecord;
  overview: Record<string, unknown>;
  flags: TriageFlag[];
}

/** Everything an upload attempt decides on, read with one BatchGetItem. */
interface UploadSnapshot {
  /** The triage stored under the upload's id, if any. */
  existing: TriageRecord | undefined;
  disaster: DisasterRecord | undefined;
  overview: Record<string, unknown>;
  /** The card registration: which disaster and patient the card code belongs to in this tenant. */
  card: { disasterId: string; patientId: string } | undefined;
  /** The patient with the card code in the upload's disaster. */
  patient: PatientRecord | undefined;
  /** The triage named by `supersedes`. */
  superseded: TriageRecord | undefined;
}

/**
 * Reads the items of an upload attempt in one strongly consistent round trip. Every key follows from the
 * request alone: the patient item's key is the disaster and the card code.
 */
async function readSnapshot(tenantId: string, triageId: string, body: TriageUpload): Promise<UploadSnapshot> {
  const keys = {
    triage: triageKey(tenantId, triageId),
    disaster: disasterKey(tenantId, body.disasterId),
    overview: overviewKey(tenantId, body.disasterId),
    stageTime: stageTimeKey(tenantId, body.disasterId, body.stage),
    card: cardKey(tenantId, body.cardCode),
    patient: patientKey(tenantId, body.disasterId, body.cardCode),
    superseded: body.supersedes ? triageKey(tenantId, body.supersedes) : undefined,
  };
  const items = await readItems(Object.values(keys).filter((key) => key !== undefined));
  const item = (key: { pk: string; sk: string } | undefined) => (key ? items.get(keyId(key)) : undefined);
  const triage = item(keys.triage);
  const disaster = item(keys.disaster);
  const card = item(keys.card);
  const patient = item(keys.patient);
  const superseded = item(keys.superseded);
  return {
    existing: triage === undefined ? undefined : toTriageRecord(triage),
    disaster: disaster === undefined ? undefined : toRecord<DisasterRecord>(disaster),
    overview: overviewRecord(
      [item(keys.overview), item(keys.stageTime)].filter((found) => found !== undefined),
    ),
    card:
      card === undefined
        ? undefined
        : { disasterId: String(card.disasterId), patientId: String(card.patientId) },
    patient: patient === undefined ? undefined : toPatientRecord(patient),
    superseded: superseded === undefined ? undefined : toTriageRecord(superseded),
  };
}

/**
 * Checks that the disaster accepts this triage: it exists and is active, the capture time lies in the
 * plausibility window, and a revoked device captured it before its revocation.
 */
function checkWritable(
  principal: Principal,
  snapshot: UploadSnapshot,
  body: TriageUpload,
  captureDate: Date,
  now: Date,
): WritableDisaster {
  if (snapshot.disaster === undefined) throw disasterNotFound(body.disasterId);
  const found = { disaster: snapshot.disaster, overview: snapshot.overview };
  ensureActive(found.disaster);

  const capturedAt = captureDate.toISOString();
  const plausibility = checkCaptureTime(captureDate, new Date(found.disaster.startedAt), now);
  if (!plausibility.plausible) {
    throw new TriageCaptureTimeImplausibleError(
      plausibility.reason === 'in-future'
        ? `capturedAt ${capturedAt} is ${describeMinutes(captureDate.getTime() - now.getTime())} after the server time; at most ${describeMinutes(MAX_CAPTURE_AHEAD_MS)} ahead are accepted. Check the device clock.`
        : `capturedAt ${capturedAt} is more than 24 hours before the disaster started (${found.disaster.startedAt}); the earliest accepted time is ${plausibility.limit}. Check the device clock.`,
    );
  }
  const flags: TriageFlag[] = [];
  if (captureDate.getTime() > now.getTime()) flags.push('clock-ahead');

  // The adapter applies the device record's current state to the principal on every request.
  const revokedAt = principal.deviceRevokedAt === undefined ? undefined : new Date(principal.deviceRevokedAt);
  const revocation = checkDeviceRevocation(captureDate, revokedAt);
  if (!revocation.accepted) {
    throw new DeviceRevokedError(
      `Device ${principal.deviceId ?? principal.id} was revoked at ${revocation.revokedAt}; triages captured after that are rejected.`,
    );
  }
  if (revocation.flagged) flags.push('device-revoked');
  return { ...found, flags };
}

/** Returns the patient of the card code in the triage's disaster, or undefined for an unknown card. */
function cardPatient(snapshot: UploadSnapshot, body: TriageUpload): PatientRecord | undefined {
  const { card, patient } = snapshot;
  if (card === undefined) return undefined;
  if (card.disasterId !== body.disasterId) {
    throw new PatientCardCodeTakenError(
      `Card code ${body.cardCode} already belongs to a patient of disaster ${card.disasterId}; card codes are never reused.`,
    );
  }
  if (patient === undefined) {
    throw new Error(
      `Card ${body.cardCode} points to disaster ${card.disasterId}, which has no patient item for it.`,
    );
  }
  return patient;
}

/**
 * Stores a triage under its client-generated id. Returns `created: false` with the stored triage when the same
 * content was uploaded before.
 */
export async function uploadTriage(
  context: RequestContext,
  triageId: string,
  body: TriageUpload,
): Promise<UploadResult> {
  const { tenantId, principal } = caller(context);
  checkConsistency(context, body);
  const content = uploadContent(body);
  const hash = contentHash(content);
  const capturedAt = utcTime(body.capturedAt);

  return withOptimisticRetry(`patient with card code ${body.cardCode}`, async () => {
    const snapshot = await readSnapshot(tenantId, triageId, body);
    const existing = snapshot.existing;
    if (existing !== undefined) {
      if (existing.contentHash !== hash) {
        throw new TriageIdempotencyConflictError(
          `Triage ${triageId} exists with different content; generate a new id for a new triage.`,
        );
      }
      // A replay may follow a failure between the transaction and the stage time write; repeat that write.
      const stored = snapshot.overview[COUNTER.lastTriageAt(body.stage)];
      if (typeof stored !== 'string' || stored < existing.capturedAt) {
        await moveStageTime(
          tenantId,
          existing.disasterId,
          body.stage,
          existing.capturedAt,
          existing.expiresAt,
        );
      }
      return { created: false, triage: existing };
    }

    const now = context.clock.now();
    const { disaster, overview, flags } = checkWritable(principal, snapshot, body, new Date(capturedAt), now);
    const patient = cardPatient(snapshot, body);
    const superseded = checkSuperseded(triageId, body.supersedes ?? null, snapshot.superseded, patient);

    const status = initialTriageStatus(body.category, body.kind, hasRight(context, 'ActionConfirmTriage'));
    const entry: HistoryEntry = {
      triageId,
      capturedAt,
      stage: body.stage,
      category: body.category,
      status,
      transportPriority: body.transportPriority ?? null,
      position: body.position ?? null,
      recoveryState: body.recoveryState ?? null,
    };
    const base = patient ?? newPatientRecord(disaster, body.cardCode, body.ageGroup, now.toISOString());
    const applied = applyTriage(base, entry, body.ageGroup, superseded?.id ?? null);
    if (!applied.ok) {
      throw new PatientAgeGroupFixedError(
        `Patient ${body.cardCode} is ${applied.fixed === 'adult' ? 'an adult' : 'a child'} since the first triage; correct it with POST /patients/${base.id}/age-group-correction.`,
      );
    }
    if (!applied.becameCurrent) flags.push('late-upload');

    const receivedAt = now.toISOString();
    const nextPatient: PatientRecord = {
      ...base,
      ...applied.state,
      ...mergeProfile(base, capturedAt, {
        ageRange: body.ageRange,
        gender: body.gender,
        identity: body.identity,
      }),
      measures: mergeMeasures(base.measures, body.measures),
      updatedAt: receivedAt,
    };
    const confirmedByUploader = status === 'final' && needsConfirmation(body.category);
    const triage: TriageRecord = {
      id: triageId,
      tenantId,
      disasterId: disaster.id,
      mode: disaster.mode,
      patientId: base.id,
      cardCode: body.cardCode,
      capturedAt,
      receivedAt,
      deviceId: principal.kind === 'device' ? (principal.deviceId ?? principal.id) : null,
      userId: principal.kind === 'user' ? (principal.userId ?? principal.id) : null,
      content,
      contentHash: hash,
      status,
      confirmedBy: confirmedByUploader ? (principal.userId ?? null) : null,
      confirmedAt: confirmedByUploader ? receivedAt : null,
      supersedes: superseded?.id ?? null,
      supersededBy: null,
      flags,
      expiresAt: disaster.expiresAt,
    };

    const changes = counterChanges({
      patientBefore: patient === undefined ? undefined : countedPatient(patient),
      patientAfter: countedPatient(nextPatient),
      triagesAdded: [{ stage: body.stage, category: body.category }],
      triagesRemoved: superseded === undefined ? [] : [countedTriage(superseded)],
    });
    const overviewUpdate = overviewUpdateItem(tenantId, disaster.id, changes);
    const audits = [
      await auditPut(context, {
        action: 'create',
        entityType: 'triage',
        entityId: triageId,
        disasterId: disaster.id,
      }),
    ];
    if (patient === undefined) {
      audits.push(
        await auditPut(context, {
          action: 'create',
          entityType: 'patient',
          entityId: base.id,
          disasterId: disaster.id,
        }),
      );
    }

    await transactWrite([
      putTriageItem(triage),
      ...putPatientItems(nextPatient, patient === undefined ? null : patient.version),
      ...(overviewUpdate === undefined ? [] : [overviewUpdate]),
      disasterActiveCheck(tenantId, disaster.id),
      ...(superseded === undefined ? [] : [supersedeTriageItem(tenantId, superseded.id, triageId)]),
      ...audits,
    ]);
    const storedTime = overview[COUNTER.lastTriageAt(body.stage)];
    if (typeof storedTime !== 'string' || storedTime < capturedAt) {
      await moveStageTime(tenantId, disaster.id, body.stage, capturedAt, disaster.expiresAt);
    }
    return { created: true, triage };
  });
}

/**
 * Checks that the triage a correction supersedes may be superseded: it must be another, not yet superseded
 * triage of the same patient. Returns it, or undefined when the upload supersedes nothing.
 */
function checkSuperseded(
  triageId: string,
  supersedes: string | null,
  superseded: TriageRecord | undefined,
  patient: PatientRecord | undefined,
): TriageRecord | undefined {
  if (supersedes === null) return undefined;
  if (supersedes === triageId) {
    throw new TriageSupersedesInvalidError(
      `Triage ${triageId} cannot supersede itself; name an earlier triage.`,
    );
  }
  if (superseded === undefined || patient === undefined || superseded.patientId !== patient.id) {
    throw new TriageSupersedesInvalidError(
      `Triage ${supersedes} ${superseded === undefined ? 'does not exist in your tenant' : 'belongs to another patient'}; a correction must supersede a triage of the same patient.`,
    );
  }
  if (superseded.supersededBy !== null) {
    throw new TriageSupersedesInvalidError(
      `Triage ${supersedes} is already superseded by triage ${superseded.supersededBy}; supersede that one instead.`,
    );
  }
  return superseded;
}

/** Lambda function `triages`: idempotent triage upload, reads, and physician confirmation. */

import { routes } from '../../../generated/operations/functions/triages.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/triages.js';
import { recordAudit } from '../audit/index.js';
import { requireDisaster, requirePatient } from '../clinical/lookups.js';
import { mayViewIdentity, triageView } from '../clinical/representations.js';
import { confirmTriage as confirmPendingTriage } from '../clinical/triage-confirmation.js';
import { uploadTriage as storeTriage } from '../clinical/triage-upload.js';
import { caller, type RequestContext } from '../context.js';
import { utcTime } from '../data/clinical-items.js';
import {
  listDisasterTriages as readDisasterTriages,
  listPatientTriages as readPatientTriages,
  getTriage as readTriage,
} from '../data/triages.js';
import { ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type TriageOperations = Pick<
  OperationHandlers<RequestContext>,
  'uploadTriage' | 'getTriage' | 'confirmTriage' | 'listPatientTriages' | 'listDisasterTriages'
>;

const DEFAULT_PAGE_SIZE = 100;

const uploadTriage: TriageOperations['uploadTriage'] = async (request, context) => {
  const result = await storeTriage(context, request.path.triageId, request.body);
  return { status: result.created ? 201 : 200, body: triageView(result.triage, mayViewIdentity(context)) };
};

const getTriage: TriageOperations['getTriage'] = async (request, context) => {
  const { tenantId } = caller(context);
  const triage = await readTriage(tenantId, request.path.triageId);
  if (triage === undefined) {
    throw new ResourceNotFoundError(`No triage ${request.path.triageId} exists in your tenant.`);
  }
  await recordAudit(context, {
    action: 'read',
    entityType: 'triage',
    entityId: triage.id,
    disasterId: triage.disasterId,
  });
  return { status: 200, body: triageView(triage, mayViewIdentity(context)) };
};

const confirmTriage: TriageOperations['confirmTriage'] = async (request, context) => {
  const triage = await confirmPendingTriage(context, request.path.triageId, request.body.note);
  return { status: 200, body: triageView(triage, mayViewIdentity(context)) };
};

const listPatientTriages: TriageOperations['listPatientTriages'] = async (request, context) => {
  const { tenantId } = caller(context);
  const patient = await requirePatient(tenantId, request.path.patientId);
  const page = await readPatientTriages(
    tenantId,
    patient.id,
    request.query?.limit ?? DEFAULT_PAGE_SIZE,
    request.query?.cursor,
  );
  await recordAudit(context, {
    action: 'list',
    entityType: 'triage',
    entityId: patient.id,
    disasterId: patient.disasterId,
    details: { resultCount: page.items.length },
  });
  const withIdentity = mayViewIdentity(context);
  return {
    status: 200,
    body: {
      items: page.items.map((triage) => triageView(triage, withIdentity)),
      nextCursor: page.nextCursor,
    },
  };
};

const listDisasterTriages: TriageOperations['listDisasterTriages'] = async (request, context) => {
  const { tenantId } = caller(context);
  const disaster = await requireDisaster(tenantId, request.path.disasterId);
  const since = request.query?.since === undefined ? undefined : utcTime(request.query.since);
  const page = await readDisasterTriages(
    tenantId,
    disaster.id,
    since,
    request.query?.limit ?? DEFAULT_PAGE_SIZE,
    request.query?.cursor,
  );
  await recordAudit(context, {
    action: 'list',
    entityType: 'triage',
    entityId: disaster.id,
    disasterId: disaster.id,
    details: { resultCount: page.items.length },
  });
  const withIdentity = mayViewIdentity(context);
  return {
    status: 200,
    body: {
      items: page.items.map((triage) => triageView(triage, withIdentity)),
      nextCursor: page.nextCursor,
    },
  };
};

export const operations: TriageOperations = {
  uploadTriage,
  getTriage,
  confirmTriage,
  listPatientTriages,
  listDisasterTriages,
};

export const handler = createRestHandler('triages', operations, { routes, validators: requestValidators });

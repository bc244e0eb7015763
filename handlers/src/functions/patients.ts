/** Lambda function `patients`: card registration, patient reads and the audited patient changes. */

import { routes } from '../../../generated/operations/functions/patients.js';
import type { OperationHandlers } from '../../../generated/operations/index.js';
import { operations as requestValidators } from '../../../generated/validators/functions/patients.js';
import { recordAudit } from '../audit/index.js';
import { requireDisaster, requirePatient } from '../clinical/lookups.js';
import {
  correctAgeGroup as correctPatientAgeGroup,
  updatePatient as patchPatient,
  createPatient as registerPatient,
} from '../clinical/patient-changes.js';
import { mayViewIdentity, patientView } from '../clinical/representations.js';
import { caller, type RequestContext } from '../context.js';
import { utcTime } from '../data/clinical-items.js';
import { getPatientByCardCode, type PatientRecord, listPatients as readPatients } from '../data/patients.js';
import { ResourceNotFoundError } from '../errors.js';
import { createRestHandler } from '../http/adapter.js';

type PatientOperations = Pick<
  OperationHandlers<RequestContext>,
  'createPatient' | 'listPatients' | 'getPatientByCode' | 'getPatient' | 'updatePatient' | 'correctAgeGroup'
>;

const DEFAULT_PAGE_SIZE = 100;

async function auditPatientRead(context: RequestContext, patient: PatientRecord): Promise<void> {
  await recordAudit(context, {
    action: 'read',
    entityType: 'patient',
    entityId: patient.id,
    disasterId: patient.disasterId,
  });
}

const createPatient: PatientOperations['createPatient'] = async (request, context) => {
  const patient = await registerPatient(context, request.path.disasterId, request.body);
  return { status: 201, body: patientView(patient, mayViewIdentity(context)) };
};

const listPatients: PatientOperations['listPatients'] = async (request, context) => {
  const { tenantId } = caller(context);
  const disaster = await requireDisaster(tenantId, request.path.disasterId);
  const query = request.query ?? {};
  const page = await readPatients(
    tenantId,
    disaster.id,
    {
      ...(query.category === undefined ? {} : { categories: query.category }),
      ...(query.stage === undefined ? {} : { stage: query.stage }),
      ...(query.status === undefined ? {} : { status: query.status }),
      ...(query.updatedSince === undefined ? {} : { updatedSince: utcTime(query.updatedSince) }),
    },
    query.sort ?? 'lastTriagedAt',
    query.limit ?? DEFAULT_PAGE_SIZE,
    query.cursor,
  );
  const withIdentity = mayViewIdentity(context);
  await recordAudit(context, {
    action: 'list',
    entityType: 'patient',
    entityId: disaster.id,
    disasterId: disaster.id,
    details: { resultCount: page.items.length },
  });
  return {
    status: 200,
    body: {
      items: page.items.map((patient) => patientView(patient, withIdentity)),
      nextCursor: page.nextCursor,
    },
  };
};

const getPatientByCode: PatientOperations['getPatientByCode'] = async (request, context) => {
  const { tenantId } = caller(context);
  const patient = await getPatientByCardCode(tenantId, request.path.cardCode);
  if (patient === undefined) {
    throw new ResourceNotFoundError(`No patient has card code ${request.path.cardCode} in your tenant.`);
  }
  await auditPatientRead(context, patient);
  return { status: 200, body: patientView(patient, mayViewIdentity(context)) };
};

const getPatient: PatientOperations['getPatient'] = async (request, context) => {
  const { tenantId } = caller(context);
  const patient = await requirePatient(tenantId, request.path.patientId);
  await auditPatientRead(context, patient);
  return { status: 200, body: patientView(patient, mayViewIdentity(context)) };
};

const updatePatient: PatientOperations['updatePatient'] = async (request, context) => {
  const patient = await patchPatient(context, request.path.patientId, request.body);
  return { status: 200, body: patientView(patient, mayViewIdentity(context)) };
};

const correctAgeGroup: PatientOperations['correctAgeGroup'] = async (request, context) => {
  const patient = await correctPatientAgeGroup(context, request.path.patientId, request.body);
  return { status: 200, body: patientView(patient, mayViewIdentity(context)) };
};

export const operations: PatientOperations = {
  createPatient,
  listPatients,
  getPatientByCode,
  getPatient,
  updatePatient,
  correctAgeGroup,
};

export const handler = createRestHandler('patients', operations, { routes, validators: requestValidators });
